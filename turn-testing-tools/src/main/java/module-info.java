/**
 * Test tools with no dependency on turnlab's other modules: MutableClock, Peer, Coturn, CoturnTools,
 * Tshark, FreePorts, RecordingAllocator, AllocatedBytes, CapturedLog, CoturnPeer, TcpEchoPeer, TestCertificate, RedisServer and SharedRedis.
 */
module dev.turnlab.testing.tools {
    exports dev.turnlab.testing.tools;

    // RecordingAllocator is a ByteBufAllocator.
    requires transitive io.netty.buffer;
    // CapturedLog and SharedRedis: JUnit extensions (CapturedLog reads Logback's appenders); a test that uses one has them.
    requires static transitive org.junit.jupiter.api;
    requires static ch.qos.logback.classic;
    requires static ch.qos.logback.core;
    requires static org.slf4j;
    // TestCertificate only: Bouncy Castle's certificate builder; a test that uses it has it.
    requires static org.bouncycastle.pkix;
    requires static org.bouncycastle.provider;
    // AllocatedBytes: the bytes a thread has allocated, from HotSpot's ThreadMXBean.
    requires jdk.management;
}
