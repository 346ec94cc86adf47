import Testing
@Suite struct KrakenSimPlaceholderTests {}
