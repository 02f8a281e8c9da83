#!/bin/sh
# Regenerates screen-720p30.ivf, the VP8 test vector the load generator's synthetic presenter publishes.
# Needs only ffmpeg built with libvpx and libfreetype, and the DejaVu fonts (Debian: apt-get install ffmpeg
# fonts-dejavu-core). Neither is needed to build or test Projector: the output is committed.
# See README.md next to this script for what the vector is and the facts its tests rely on.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/screen-720p30.ivf"
font=${FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The "document" on screen: numbered, code-like lines, so the picture is mostly small sharp glyphs on a flat
# background, as in a shared editor or terminal. Generated, not typed, so the script stays short.
i=1
while [ "$i" -le 80 ]; do
  case $((i % 5)) in
    0) printf '%3d  }\n' "$i" ;;
    1) printf '%3d  public void forward(RtpPacket packet, int viewerIndex) throws IOException {\n' "$i" ;;
    2) printf '%3d      long sentAtMs = clock.millis() + %d; // pacing budget for viewer %d\n' "$i" $((i * 7)) "$i" ;;
    3) printf '%3d      if (packet.payloadLength() > maxPayloadBytes) { drops.increment(); return; }\n' "$i" ;;
    4) printf '%3d      transport.send(packet.buffer(), packet.offset(), packet.length(), sentAtMs);\n' "$i" ;;
  esac
  i=$((i + 1))
done > "$work/editor.txt"
printf 'Projector load test\nscreen-720p30.ivf\n\nsrc/\n  Forwarder.java\n  Vp8Descriptor.java\n  RtpPacket.java\n  Pacer.java\ntest/\n  ForwarderTest.java\n' \
  > "$work/sidebar.txt"

# Picture (frame number n, 30 fps, 60 frames), drawn back to front:
#  - light-grey editor pane whose code-like text scrolls up 3 px per frame, with a pale-blue selection bar
#    scrolling along with it,
#  - dark title bar and dark sidebar with a static file list on top (static areas, as on a real screen),
#  - an orange "pointer" box gliding right 12 px per frame across the text.
filter="\
[0:v][1:v]overlay=x=260:y=200-3*n[selected];\
[selected]drawtext=fontfile=$font:textfile=$work/editor.txt:expansion=none:x=276:y=56-3*n:fontsize=17:line_spacing=9:fontcolor=0x202020,\
drawbox=x=0:y=0:w=1280:h=40:color=0x2b2b2b:t=fill,\
drawbox=x=0:y=40:w=260:h=680:color=0x333842:t=fill,\
drawtext=fontfile=$font:textfile=$work/sidebar.txt:expansion=none:x=16:y=56:fontsize=18:line_spacing=8:fontcolor=0xd0d0d0,\
drawtext=fontfile=$font:text=Projector - Forwarder.java:expansion=none:x=16:y=11:fontsize=18:fontcolor=white[screen];\
[screen][2:v]overlay=x=300+12*n:y=420,format=yuv420p[out]"

# Real-time VP8 settings close to what a browser (libwebrtc) uses for screen content: one pass, realtime
# deadline, CBR 2.5 Mbit/s with a 1 s buffer, error resilient, no look-ahead and no alt-ref (so every IVF frame
# is one shown frame), keyframe only at frame 0 (-g = -keyint_min beyond the clip, so no scene-cut keyframes),
# one thread so the output is reproducible.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "color=c=0xf4f4f4:s=1280x720:r=30:d=2" \
  -f lavfi -i "color=c=0xb8d4f0:s=1020x26:r=30:d=2" \
  -f lavfi -i "color=c=0xff8c1a:s=24x24:r=30:d=2" \
  -filter_complex "$filter" -map "[out]" -frames:v 60 \
  -c:v libvpx -deadline realtime -cpu-used 8 -threads 1 \
  -b:v 2500k -minrate 2500k -maxrate 2500k -bufsize 2500k \
  -undershoot-pct 100 -overshoot-pct 15 -qmin 2 -qmax 56 -max-intra-rate 0 \
  -error-resilient default -auto-alt-ref 0 -lag-in-frames 0 \
  -g 1000 -keyint_min 1000 -static-thresh 0 \
  -fflags +bitexact -flags +bitexact \
  -f ivf "$out"

echo "wrote $out ($(wc -c < "$out") bytes) with $(ffmpeg -version | head -n 1)"
