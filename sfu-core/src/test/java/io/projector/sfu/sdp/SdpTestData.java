package io.projector.sfu.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/** Shared fixtures: the offers under src/test/resources/sdp and the SFU's side of a session. */
final class SdpTestData {

    static final String CHROME_PRESENTER = "chrome-presenter.sdp";
    static final String CHROME_SIMULCAST = "chrome-presenter-simulcast.sdp";
    static final String CHROME_VIEWER = "chrome-viewer.sdp";
    static final String FIREFOX_PRESENTER = "firefox-presenter.sdp";
    static final String GSTREAMER_PRESENTER = "gstreamer-presenter.sdp";
    static final String LOCAL_FINGERPRINT = "sha-256 "
            + "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9";

    static final LocalParameters LOCAL = new LocalParameters("sfuA1b2", "sfuPassword0123456789abcd", LOCAL_FINGERPRINT,
            List.of(new Candidate("1", 1, "udp", 2130706431L, "192.0.2.10", 10000, "host", null)),
            "4242424242424242", "projector-sfu", "projector");

    private SdpTestData() {
    }

    /** The fixture text exactly as stored (LF line endings). */
    static String load(String name) {
        try (InputStream in = SdpTestData.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription parse(String name) throws SdpException {
        return SdpParser.parse(load(name));
    }

    /** An SSRC allocator handing out 1001, 1002, ... like the SFU's per-viewer allocator would. */
    static ToLongFunction<MediaKind> ssrcs() {
        AtomicLong next = new AtomicLong(1000);
        return kind -> next.incrementAndGet();
    }

    /** The fixture with every line starting with one of the prefixes removed. */
    static String without(String sdp, String... prefixes) {
        StringBuilder sb = new StringBuilder();
        for (String line : sdp.split("\n")) {
            boolean drop = false;
            for (String p : prefixes) {
                drop |= line.startsWith(p);
            }
            if (!drop) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    static Answer answer(String sdp, PeerRole role) throws SdpException {
        return AnswerBuilder.answer(SdpParser.parse(sdp), role, LOCAL, role == PeerRole.VIEWER ? ssrcs() : null);
    }
}
