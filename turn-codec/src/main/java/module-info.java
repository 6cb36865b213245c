/**
 * STUN and TURN messages (RFC 8489, RFC 8656): the immutable message and its attributes, long-term and
 * short-term credentials, the pure codecs, their Netty handlers, and packet capture in pcap format.
 * Every package is API: the server and the client are built only on what is exported here.
 */
module dev.turnlab.codec {
    // StunMessage, ChannelData, TransactionId, Method and the pure codecs.
    exports dev.turnlab.codec;
    // One record per attribute; ErrorCode and AttributeType (extensible enums).
    exports dev.turnlab.codec.attribute;
    // Keys, integrity and fingerprint: LongTermCredentials, ShortTermCredentials, IntegrityAlgorithm.
    exports dev.turnlab.codec.auth;
    // CaptureConfig is a server and client setting; Pcap and PacketCapture write what it asks for.
    exports dev.turnlab.codec.capture;
    // DTLS under datagrams (RFC 7350): DtlsHandler and the engines, limits and counters it works with.
    exports dev.turnlab.codec.dtls;
    // The datagram and stream decoders and encoders, for pipelines of one's own.
    exports dev.turnlab.codec.netty;

    // ByteBuf, channels and MessageToMessageDecoder appear in the exported signatures.
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;
    requires transitive io.netty.codec;
    requires org.slf4j;
}
