import CWebSockets

/// The libwebsockets major version this build links against.
public let libwebsocketsMajorVersion = Int(bb_ws_version_major())
