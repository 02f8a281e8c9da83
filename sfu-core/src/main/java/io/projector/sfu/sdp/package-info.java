/**
 * SDP for the SFU: parsing WebRTC/WHIP/WHEP offers ({@link io.projector.sfu.sdp.SdpParser}),
 * answering them as presenter or viewer ({@link io.projector.sfu.sdp.AnswerBuilder}) and parsing
 * trickle-ICE PATCH bodies ({@link io.projector.sfu.sdp.SdpFragParser}).
 *
 * <p>The SFU is always the answerer, the DTLS server and uses one BUNDLEd, rtcp-muxed transport.
 * The negotiated model ({@link io.projector.sfu.sdp.NegotiatedMedia}) keeps the remote peer's
 * payload types and header-extension ids, which the forwarder needs to rewrite RTP per viewer.
 * All input is untrusted: size limits apply before parsing and error messages quote at most 80
 * printable characters of it.
 */
package io.projector.sfu.sdp;
