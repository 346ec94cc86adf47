/// The collector run loop (filled in by the collector work).
public enum CollectorPlaceholder {}
