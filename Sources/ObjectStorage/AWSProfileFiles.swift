/// The shared AWS configuration files: `~/.aws/credentials` (sections `[name]`) and `~/.aws/config` (sections
/// `[default]` and `[profile name]`), with `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` overriding the paths.
package struct AWSProfileFiles: Sendable {
    /// Keys per profile name, from the credentials file.
    package var credentials: [String: [String: String]]
    /// Keys per profile name, from the config file.
    package var config: [String: [String: String]]

    package init(credentials: [String: [String: String]], config: [String: [String: String]]) {
        self.credentials = credentials
        self.config = config
    }

    /// Reads both files; a missing file is empty.
    package static func load(environment: [String: String], homeDirectory: String, read: (String) -> String?)
        -> AWSProfileFiles
    {
        let credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(homeDirectory)/.aws/credentials"
        let configPath = environment["AWS_CONFIG_FILE"] ?? "\(homeDirectory)/.aws/config"
        let config = parse(read(configPath) ?? "").reduce(into: [String: [String: String]]()) { result, section in
            // In the config file every profile but the default is written `[profile name]`.
            let name = section.key.hasPrefix("profile ") ? String(section.key.dropFirst(8)) : section.key
            result[name.trimming(" \t")] = section.value
        }
        return AWSProfileFiles(credentials: parse(read(credentialsPath) ?? ""), config: config)
    }

    /// A key of a profile: the credentials file first, then the config file.
    package func value(_ key: String, profile: String) -> String? {
        credentials[profile]?[key] ?? config[profile]?[key]
    }

    /// INI sections of `key = value` lines; `#` and `;` start comments.
    static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimming(" \t")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = String(line.dropFirst().dropLast()).trimming(" \t")
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimming(" \t").lowercased()
            let value = line[line.index(after: equals)...].trimming(" \t")
            sections[current, default: [:]][key] = value
        }
        return sections
    }
}

extension StringProtocol {
    func trimming(_ set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
