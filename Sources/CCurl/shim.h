#ifndef TOOLHOST_CCURL_SHIM_H
#define TOOLHOST_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: these typed
// wrappers are what the Swift side uses.
static inline CURLcode toolhost_curl_setopt_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode toolhost_curl_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode toolhost_curl_setopt_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode toolhost_curl_setopt_off_t(CURL *curl, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode toolhost_curl_setopt_slist(CURL *curl, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(curl, option, list);
}
static inline CURLcode toolhost_curl_getinfo_long(CURL *curl, CURLINFO info, long *value) {
    return curl_easy_getinfo(curl, info, value);
}
static inline CURLcode toolhost_curl_getinfo_string(CURL *curl, CURLINFO info, char **value) {
    return curl_easy_getinfo(curl, info, value);
}

// Callbacks: function pointers cannot go through the `void *` wrapper, so each kind has its own.
// Write, header and read callbacks share one signature.
static inline CURLcode toolhost_curl_setopt_data_function(CURL *curl, CURLoption option, curl_write_callback callback) {
    return curl_easy_setopt(curl, option, callback);
}
static inline CURLcode toolhost_curl_setopt_opensocket_function(CURL *curl, curl_opensocket_callback callback) {
    return curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, callback);
}
static inline CURLcode toolhost_curl_setopt_xferinfo_function(CURL *curl, curl_xferinfo_callback callback) {
    return curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, callback);
}
static inline CURLcode toolhost_curl_setopt_debug_function(CURL *curl, curl_debug_callback callback) {
    return curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, callback);
}

// Spelled CURLOPT_MAIL_RCPT_ALLLOWFAILS before curl 8.2, which keeps that name as an alias.
static inline CURLcode toolhost_curl_setopt_mail_rcpt_allowfails(CURL *curl, long value) {
    return curl_easy_setopt(curl, CURLOPT_MAIL_RCPT_ALLLOWFAILS, value);
}

// `struct curl_sockaddr` ends in a `struct sockaddr` that curl allocates large enough for the
// family; Swift would copy only the 16 bytes of its declared type.
static inline const struct sockaddr *toolhost_curl_sockaddr_address(const struct curl_sockaddr *address) {
    return &address->addr;
}
#endif
