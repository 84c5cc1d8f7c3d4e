"""The prompt library: the person's saved prompts and passages, and the built-in prompt-craft terms beside them."""
