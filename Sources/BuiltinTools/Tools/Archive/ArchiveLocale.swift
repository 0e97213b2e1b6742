import Glibc

/// Runs libarchive work in the `C.UTF-8` character-type locale, on the calling thread only.
///
/// libarchive converts entry names through the current locale; under the C locale (a server's
/// usual one) libarchive 3.6 cannot convert non-ASCII names and its pax writer crashes on them.
/// `uselocale` is per thread and restored before returning; the body must not suspend.
/// (The same as Registry's `ArchiveLocale`, which this module cannot import.)
enum ArchiveLocale {
    /// Runs `body` with this thread's character-type locale set to C.UTF-8.
    static func withUTF8<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { return try body() }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        return try body()
    }
}
