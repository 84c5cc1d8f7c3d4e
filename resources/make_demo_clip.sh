#!/usr/bin/env bash
# Rebuilds resources/demo_clip.mp4: the clip the self-test decodes (--self-test) and the player tests play. The
# stand-in's "generated" videos come from resources/demo_media instead (make_demo_media.py: the asked size, length
# and frame rate). The picture says plainly that it is a demo so nobody mistakes it for a Sora 2 result.
# Needs ffmpeg with libx264 and the DejaVu fonts (Debian: apt-get install ffmpeg fonts-dejavu-core).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

OUT=${1:-demo_clip.mp4}
CLIP_SECONDS=5
FONT_DIR=/usr/share/fonts/truetype/dejavu
BOLD="$FONT_DIR/DejaVuSans-Bold.ttf"
MONO="$FONT_DIR/DejaVuSansMono-Bold.ttf"
for f in "$BOLD" "$MONO"; do
  [ -r "$f" ] || { echo "missing font $f (apt-get install fonts-dejavu-core)" >&2; exit 1; }
done

# A slowly turning gradient keeps the file small (smooth areas compress well) while still showing motion,
# so a frozen player is easy to tell from a playing one; the timer proves the clip is actually advancing.
BOX="box=1:boxcolor=black@0.45:boxborderw=14"
FILTER="[0:v]format=yuv420p,
drawtext=fontfile=$BOLD:text='Sora 2 Desktop — DEMO':fontsize=40:fontcolor=white:$BOX:x=(w-tw)/2:y=h*0.26,
drawtext=fontfile=$BOLD:text='(local stand-in, not a Sora 2 video)':fontsize=24:fontcolor=white:$BOX:x=(w-tw)/2:y=h*0.47,
drawtext=fontfile=$MONO:text='%{pts\:hms}':fontsize=36:fontcolor=yellow:$BOX:x=(w-tw)/2:y=h*0.68[v]"

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "gradients=size=640x360:rate=25:speed=0.02:n=3:seed=1:c0=0x1d2b64:c1=0x6a3093:c2=0x0f7c7c:duration=$CLIP_SECONDS" \
  -f lavfi -i "anullsrc=channel_layout=mono:sample_rate=44100" \
  -filter_complex "$FILTER" -map '[v]' -map 1:a \
  -c:v libx264 -profile:v baseline -level 3.0 -preset veryslow -crf 30 -threads 1 -pix_fmt yuv420p -g 50 \
  -c:a aac -b:a 24k -ac 1 \
  -t "$CLIP_SECONDS" -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  -metadata title="Sora 2 Desktop demo clip (local stand-in)" \
  -movflags +faststart "$OUT"

echo "$OUT: $(stat -c %s "$OUT") bytes"
