import Foundation

/// Reads the documents of the sources `baysearch index` is given, one at a time.
///
/// A source is a directory (every `*.txt` and `*.md` below it; id = path relative to it), a
/// single `.txt` or `.md` file (id = file name), or a `.jsonl` file (one
/// `{"id", "title", "text"}` object per line). A source that cannot be read, or that holds
/// no document at all (an empty directory or JSONL file, most likely a wrong path), fails the
/// whole build; a single bad file or line inside one is reported through `warn` and skipped.
///
///     try DocumentReader.read(["Corpus"], warn: { print($0) }) { document in print(document.id) }
public enum DocumentReader {
    public static func read(
        _ sources: [String], warn: @escaping @Sendable (String) -> Void, emit: (SourceDocument) throws -> Void
    ) throws {
        for source in sources {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
                throw missingOrBrokenLink(source)
            }
            if isDirectory.boolValue {
                try readDirectory(source, warn: warn, emit: emit)
            } else if source.hasSuffix(".jsonl") {
                try readJSONLines(source, warn: warn, emit: emit)
            } else if isTextFile(source) {
                let text = try readFile(source)
                let name = (source as NSString).lastPathComponent
                try emit(SourceDocument(id: name, title: SourceDocument.title(of: text), text: text, origin: source))
            } else {
                throw SourceError.unsupported(path: source)
            }
        }
    }

    /// Why `path` cannot be found: missing, or a link that loops or leads nowhere, which
    /// `ls` still lists and "no such file" would misdescribe.
    private static func missingOrBrokenLink(_ path: String) -> SourceError {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK, stat(path, &status) != 0 else {
            return .missing(path: path)
        }
        return .unreadable(path: path, reason: "a link to nothing readable: \(String(cString: strerror(errno)))")
    }

    static func isTextFile(_ path: String) -> Bool {
        path.hasSuffix(".txt") || path.hasSuffix(".md")
    }

    private static func readDirectory(_ root: String, warn: @escaping @Sendable (String) -> Void, emit: (SourceDocument) throws -> Void) throws {
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(
            at: rootURL, includingPropertiesForKeys: [.isSymbolicLinkKey], options: [],
            errorHandler: { url, error in
                warn("\(url.path): \(error.localizedDescription); skipped")
                return true
            }) else {
            throw SourceError.unreadable(path: root, reason: "cannot list the directory")
        }
        var relativePaths: [String] = []
        let prefix = rootURL.path.hasSuffix("/") ? rootURL.path : rootURL.path + "/"
        for case let url as URL in enumerator where isTextFile(url.path) {
            // fileExists follows links: a link to a file counts, a dangling or looping link
            // and a directory named *.txt do not.
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                if (try? url.resourceValues(forKeys: [.isSymbolicLinkKey]).isSymbolicLink) == true {
                    warn("\(url.path): a link to nothing readable; skipped")
                }
                continue
            }
            let path = url.standardizedFileURL.path
            relativePaths.append(path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : url.lastPathComponent)
        }
        guard !relativePaths.isEmpty else {
            throw SourceError.empty(path: root, reason: "no .txt or .md file below it")
        }
        for relative in relativePaths.sorted() {
            let path = (root as NSString).appendingPathComponent(relative)
            let text: [UInt8]
            do {
                text = try readFile(path)
            } catch {
                warn("\(error); skipped")
                continue
            }
            try emit(SourceDocument(id: relative, title: SourceDocument.title(of: text), text: text, origin: path))
        }
    }

    /// The bytes of the regular file at `path`. Anything else is refused before a read:
    /// a FIFO would block forever and a link to a device (`/dev/zero`) would never end.
    private static func readFile(_ path: String) throws -> [UInt8] {
        // O_NONBLOCK: opening a FIFO with no writer would otherwise block right here.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SourceError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SourceError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw SourceError.unreadable(path: path, reason: "not a regular file")
        }
        do {
            return Array(try handle.readToEnd() ?? Data())
        } catch {
            throw SourceError.unreadable(path: path, reason: error.localizedDescription)
        }
    }

    private static func readJSONLines(_ path: String, warn: @escaping @Sendable (String) -> Void, emit: (SourceDocument) throws -> Void) throws {
        // stdio's own buffer is one block (4 KiB): a 20 MB corpus took 4,600 `read` calls.
        // Freed after the file is closed (defers run last first).
        let bufferSize = 1 << 20
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bufferSize)
        defer { buffer.deallocate() }
        guard let file = fopen(path, "rb") else {
            throw SourceError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        setvbuf(file, buffer, _IOFBF, bufferSize)
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        var number = 0
        var emitted = false
        while true {
            let length = getline(&line, &capacity, file)
            guard length >= 0, let line else {
                break
            }
            number += 1
            let bytes = UnsafeRawBufferPointer(start: line, count: length)
            guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
                continue
            }
            let origin = "\(path):\(number)"
            guard let document = parseJSONLine(bytes, origin: origin) else {
                warn("\(origin): not a JSON object with string fields \"id\" and \"text\"; skipped")
                continue
            }
            try emit(document)
            emitted = true
        }
        if ferror(file) != 0 {
            throw SourceError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard emitted else {
            throw SourceError.empty(path: path, reason: number == 0 ? "the file is empty" : "no line holds a document")
        }
    }

    private static func parseJSONLine(_ line: UnsafeRawBufferPointer, origin: String) -> SourceDocument? {
        if let fields = _JSONLine.stringFields(of: line) {
            guard let id = fields["id"].flatMap({ String(validating: $0, as: UTF8.self) }), !id.isEmpty,
                  let text = fields["text"] else {
                return nil
            }
            let title = fields["title"].flatMap { String(validating: $0, as: UTF8.self) } ?? SourceDocument.title(of: text)
            return SourceDocument(id: id, title: title, text: text, origin: origin)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let id = object["id"] as? String, !id.isEmpty,
              let text = object["text"] as? String else {
            return nil
        }
        let bytes = Array(text.utf8)
        let title = (object["title"] as? String) ?? SourceDocument.title(of: bytes)
        return SourceDocument(id: id, title: title, text: bytes, origin: origin)
    }
}

/// Why a source could not be read.
public enum SourceError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case unsupported(path: String)
    /// The source holds no document; `reason` says what was looked for.
    case empty(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "\(path): no such file or directory"
        case .unreadable(let path, let reason):
            return "\(path): cannot read (\(reason))"
        case .unsupported(let path):
            return "\(path): not a directory, .txt, .md or .jsonl file"
        case .empty(let path, let reason):
            return "\(path): nothing to index (\(reason))"
        }
    }
}
