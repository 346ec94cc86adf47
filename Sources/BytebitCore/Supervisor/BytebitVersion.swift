/// The release every bytebit executable reports with `--version`.
public enum BytebitVersion {
    /// Bumped with each release.
    public static let current = "0.1.0"
}
