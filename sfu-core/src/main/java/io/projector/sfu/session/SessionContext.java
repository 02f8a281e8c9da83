package io.projector.sfu.session;

import io.projector.sfu.MediaConfig;
import io.projector.sfu.MediaCounters;
import io.projector.sfu.dtls.DtlsCertificate;
import io.projector.sfu.ice.MediaPort;
import io.projector.sfu.ice.SendLanes;
import java.util.concurrent.ExecutorService;

/** The services every session shares: configuration, counters, the media port, our certificate, DTLS and send threads. */
public record SessionContext(MediaConfig config, MediaCounters counters, MediaPort mediaPort,
    DtlsCertificate certificate, ExecutorService dtlsExecutor, SendLanes sendLanes) {}
