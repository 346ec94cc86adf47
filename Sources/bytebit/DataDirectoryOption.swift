import ArgumentParser
import BytebitCore

/// `--data-dir` and `--config`, shared by `view` and `list`.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Folder with the recorded files (default: the config's data_dir, else ./data).")
    var dataDirectory: String?

    @Option(help: "Config file whose data_dir is used when --data-dir is absent.")
    var config: String = "config.yaml"

    /// The data directory to read. TODO(lead): read `data_dir` from `config` with the config loader.
    var resolved: DataDirectory {
        DataDirectory(path: dataDirectory ?? "data")
    }
}
