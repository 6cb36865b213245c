/**
 * The TURN client (RFC 8656) and the CMS-style TURN check built on it: {@code TurnClient.builder()},
 * {@code TurnCheck} and its reports. Transactions, connections and the long-term-auth retry are
 * package-private to {@code dev.turnlab.client}.
 */
module dev.turnlab.client {
    // TurnClient and its Builder, Transport, TurnResult, Allocation, Retransmission, NoAnswerException.
    exports dev.turnlab.client;
    // TurnCheck, CheckOptions, ServerReport, Diagnosis and ReportFormat: checks embedded in other tools.
    exports dev.turnlab.client.check;

    requires transitive dev.turnlab.codec;
    // TurnClient.Builder.sslContext(SslContext).
    requires transitive io.netty.handler;
    // CMS's XML report (ReportFormat, CmsTurnServer).
    requires java.xml;
    requires org.slf4j;
}
