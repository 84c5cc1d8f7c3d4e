#!/usr/bin/env bash
# glibc_floor.sh FLOOR DIR: prints the newest GLIBC_ symbol version any file under DIR asks for (the .deb's libc6
# and the .rpm's glibc dependency), and exits 1, naming each file and the symbols it needs, when that is newer than
# FLOOR: a bundle made on a newer system than the oldest supported one (Rocky/RHEL 9: 2.34) fails to start there
# with "version `GLIBC_2.3x' not found", long after the build looked fine.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: glibc_floor.sh FLOOR DIR" >&2; exit 2; }
floor="$1"
dir="${2%/}"

# One "version<TAB>file<TAB>symbol" line per versioned glibc symbol a file refers to (objdump -T: the dynamic
# symbols; older binutils print the version without brackets).
refs="$(find "$dir" -type f \( -name '*.so*' -o -perm -u+x \) -print0 | xargs -0 -r objdump -T 2>/dev/null | awk '
  / file format / { file = $0; sub(/:[ \t]+file format .*/, "", file); next }
  match($0, /GLIBC_[0-9]+(\.[0-9]+)+/) { print substr($0, RSTART + 6, RLENGTH - 6) "\t" file "\t" $NF }
' || true)"
[ -n "$refs" ] || { echo "glibc_floor.sh: no file under $dir refers to a versioned glibc symbol" >&2; exit 1; }

newest="$(cut -f1 <<<"$refs" | sort -uV | tail -1)"
too_new=()
while read -r version; do
  [ "$(printf '%s\n%s\n' "$floor" "$version" | sort -V | tail -1)" = "$floor" ] || too_new+=("$version")
done < <(cut -f1 <<<"$refs" | sort -uV)
if [ ${#too_new[@]} -gt 0 ]; then
  echo "glibc_floor.sh: these files need a glibc newer than the floor $floor:" >&2
  for version in "${too_new[@]}"; do
    awk -F'\t' -v v="$version" -v root="$dir/" '$1 == v {
      f = (index($2, root) == 1) ? substr($2, length(root) + 1) : $2
      if (f in syms) syms[f] = syms[f] ", " $3; else syms[f] = $3
    } END { for (f in syms) print "  GLIBC_" v ": " f " (" syms[f] ")" }' <<<"$refs" | sort >&2
  done
  exit 1
fi
echo "$newest"
