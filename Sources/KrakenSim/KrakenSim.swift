/// The local Kraken v2 exchange (filled in by the simulator work).
public enum KrakenSimPlaceholder {}
