import Glibc

/// Runs libarchive work in the `C.UTF-8` character-type locale, on the calling thread only.
///
/// libarchive converts entry names between UTF-8 and "the current locale". Under the C locale
/// (what a server or a test runner usually has) libarchive 3.6 cannot convert a non-ASCII name at
/// all, and its pax writer even dereferences the failed conversion and crashes. Fixing the locale
/// also makes names come out the same whatever `LANG` the process was started with.
/// `uselocale` changes only this thread's locale and is restored before returning, so no other
/// code sees it; the work inside must not suspend (it is all synchronous C calls).
public enum ArchiveLocale {
    /// Runs `body` with this thread's character-type locale set to C.UTF-8.
    /// - Throws: whatever `body` throws.
    public static func withUTF8<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        // C.UTF-8 is built into glibc since 2.35; without it, run as before rather than fail.
        guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { return try body() }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        return try body()
    }
}
