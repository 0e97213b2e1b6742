import CArchive
import CCurl
import CSeccomp
import Testing

/// The sandbox, the network tools and the package reader rest on these C libraries; this proves the
/// module maps find and link them on a fresh machine (`make test` installs the Debian packages).
@Suite("System libraries")
struct SystemLibraryTests {
    @Test("libseccomp is linked and knows the running kernel's native architecture")
    func seccomp() throws {
        let version = try #require(seccomp_version())
        #expect(version.pointee.major >= 2)
        #expect(seccomp_arch_native() != 0)
        #expect(seccomp_syscall_resolve_name("ptrace") >= 0)
    }

    @Test("libcurl is linked and initialises")
    func curl() throws {
        #expect(curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK)
        defer { curl_global_cleanup() }
        let handle = try #require(curl_easy_init())
        curl_easy_cleanup(handle)
        #expect(String(cString: curl_version()).hasPrefix("libcurl/"))
    }

    @Test("libarchive is linked and can write a tar.gz in memory")
    func archive() throws {
        #expect(archive_version_number() >= 3_000_000)
        let writer = try #require(archive_write_new())
        defer { archive_write_free(writer) }
        #expect(archive_write_add_filter_gzip(writer) == ARCHIVE_OK)
        #expect(archive_write_set_format_pax_restricted(writer) == ARCHIVE_OK)
    }
}
