import CCurl
import Foundation

/// One libcurl easy handle and the C memory it points into (header lists, the error buffer),
/// released together.
///
/// `@unchecked Sendable`: a transfer hands the handle from the calling task to its curl thread and
/// back, and never uses it from two threads at once.
final class CurlEasy: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    /// Where curl writes the detail of its last error (`CURLOPT_ERRORBUFFER`).
    let errorBuffer: UnsafeMutablePointer<CChar>
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    /// - Throws: ``ToolFailure`` `internal_error` when libcurl cannot be initialised.
    init() throws(ToolFailure) {
        guard CurlEasy.globalInitialisation == CURLE_OK, let handle = curl_easy_init() else {
            throw ToolFailure(.internalError, "libcurl could not be initialised")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    /// `curl_global_init` is not thread-safe in every libcurl build; a static is initialised once.
    private static let globalInitialisation: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    func set(_ option: CURLoption, _ value: Int) throws(ToolFailure) {
        try check(toolhost_curl_setopt_long(handle, option, value), option)
    }

    /// Strings are copied by libcurl (every string option but `CURLOPT_POSTFIELDS`).
    func set(_ option: CURLoption, _ value: String) throws(ToolFailure) {
        try check(toolhost_curl_setopt_string(handle, option, value), option)
    }

    func set(_ option: CURLoption, offset value: Int) throws(ToolFailure) {
        try check(toolhost_curl_setopt_off_t(handle, option, curl_off_t(value)), option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(ToolFailure) {
        try check(toolhost_curl_setopt_pointer(handle, option, value), option)
    }

    /// Sets a string-list option; the list lives as long as the handle.
    func set(_ option: CURLoption, list values: [String]) throws(ToolFailure) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values {
            guard let longer = curl_slist_append(list, value) else {
                if let list { curl_slist_free_all(list) }
                throw ToolFailure(.internalError, "libcurl could not allocate a list")
            }
            list = longer
        }
        if let list { lists.append(list) }
        try check(toolhost_curl_setopt_slist(handle, option, list), option)
    }

    func set(_ option: CURLoption, callback: curl_write_callback) throws(ToolFailure) {
        try check(toolhost_curl_setopt_data_function(handle, option, callback), option)
    }

    func info(_ info: CURLINFO) -> Int? {
        var value = 0
        return toolhost_curl_getinfo_long(handle, info, &value) == CURLE_OK ? value : nil
    }

    func info(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard toolhost_curl_getinfo_string(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    /// The detail curl wrote for the last failure, or its generic text for `code`.
    func errorText(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    func check(_ code: CURLcode, _ option: CURLoption) throws(ToolFailure) {
        guard code == CURLE_OK else {
            throw ToolFailure(.internalError, "libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
