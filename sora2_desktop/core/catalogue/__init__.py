"""The model catalogue: which models the app offers and what each takes, shipped as data and refreshed from the
service; prices and cost estimates."""
