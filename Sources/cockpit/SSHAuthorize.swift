import ArgumentParser
import CockpitApp
import CockpitCore
import CockpitStore
import Foundation

/// `cockpit ssh-authorize`: the `authorized_keys` line that pins one SSH key to one scope.
/// OpenSSH does the rest: `command=` replaces whatever the client asks to run, `restrict` turns off
/// forwarding, agent and X11, and `pty` gives the wall its terminal back.
struct SSHAuthorize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssh-authorize",
        abstract: "Print the authorized_keys line that pins an SSH public key to a scoped cockpit.",
        discussion: """
            Append the line to ~/.ssh/authorized_keys of the account the walls log in as. Whatever the
            client asks to run, OpenSSH runs the cockpit pinned to --scope instead (a read-only wall with
            --wall, else the interactive cockpit restricted to the scope's subtree).
            """
    )

    @Option(help: "The unit the key is pinned to (an id, e.g. wulin).")
    var scope: String

    @Option(help: "The public key file (e.g. wall-wulin.pub).")
    var key: String

    @Flag(help: "Pin the key to the read-only rotating wall (`cockpit wall --no-quit`).")
    var wall = false

    @Option(help: "The store the session reads (an absolute path is written). Default: the demo store.")
    var db: String?

    @Option(help: "Time on each unit of the wall.")
    var rotate: String = "30s"

    @Option(help: "The cockpit binary to run. Default: this binary's own path.")
    var binary: String?

    @Option(help: "Language of the screens: zh or en.")
    var lang: String = "zh"

    func run() throws {
        guard lang == "zh" || lang == "en" else { throw ValidationError("--lang must be zh or en") }
        guard Wall.parseDuration(rotate) != nil else { throw ValidationError("--rotate '\(rotate)' is not a duration (e.g. 30s)") }
        let keyLine = try Self.readPublicKey(key)
        let dbPath = try Self.absolute(db ?? Demo.ensure(quiet: true))
        let store = try CockpitStore(path: dbPath, mode: .read)
        let tree = try store.tree()
        guard tree.unit(scope) != nil else {
            fail("unknown scope '\(scope)' in \(dbPath); nearest: \(tree.nearest(to: scope).joined(separator: ", "))")
        }
        let exe = Self.absolute(binary ?? Self.ownExecutable())
        var args = [exe]
        if wall {
            args += ["wall", "--scope", scope, "--no-quit", "--rotate", rotate]
        } else {
            args += ["open", "--scope", scope]
        }
        args += ["--db", dbPath, "--lang", lang]
        // The forced command runs under the account's shell without the client's locale: set a UTF-8
        // one, or Chinese would fall back to ASCII.
        let command = "env LANG=C.UTF-8 " + args.map(Self.shellQuote).joined(separator: " ")
        print("command=\"\(Self.optionEscape(command))\",restrict,pty \(keyLine)")
    }

    /// One public key line ("type base64 [comment]"), or a clear refusal.
    static func readPublicKey(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(path): cannot read the key file")
        }
        if text.contains("PRIVATE KEY") {
            throw ValidationError("\(path): this is a private key; give the public one (.pub)")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard lines.count == 1 else {
            throw ValidationError("\(path): expected exactly one public key line, found \(lines.count)")
        }
        let parts = lines[0].split(separator: " ", maxSplits: 2).map(String.init)
        let types = ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                     "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"]
        guard parts.count >= 2, types.contains(parts[0]) else {
            throw ValidationError("\(path):1: not an OpenSSH public key (expected one of \(types.prefix(3).joined(separator: ", ")) … then the key)")
        }
        guard Data(base64Encoded: parts[1]) != nil else {
            throw ValidationError("\(path):1: the key's base64 part does not decode")
        }
        return lines[0]
    }

    static func shellQuote(_ s: String) -> String {
        let safe = s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./=:@,+".unicodeScalars.contains($0) }
        return safe && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Inside `command="…"` only a double quote and a backslash need escaping.
    static func optionEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
