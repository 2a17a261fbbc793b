/* A regression test of the libcurl xueliang links against (Debian's 7.88.1 has the bug): an easy handle
 * that followed a redirect to a refused scheme, with an 8 KB receive buffer, then curl_easy_reset and
 * reused, double-frees on its next reply over about 8 KB.
 *
 *   libcurl-refused-redirect follow   REDIRECTING-URL LARGE-URL ROUNDS   libcurl follows (the bug's path)
 *   libcurl-refused-redirect xueliang REDIRECTING-URL LARGE-URL ROUNDS   no FOLLOWLOCATION, as xueliang does
 *
 * Prints "ok BYTES" and exits 0 when every large reply arrived whole; a crash is the bug. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t count_bytes(char *data, size_t size, size_t count, void *total) {
    (void)data;
    *(size_t *)total += size * count;
    return size * count;
}

static CURLcode get(CURL *handle, const char *url, int follow, size_t *received) {
    curl_easy_setopt(handle, CURLOPT_URL, url);
    curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, 8192L);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https,rtsp");
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, count_bytes);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, received);
    if (follow) {
        curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }
    return curl_easy_perform(handle);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s follow|xueliang REDIRECTING-URL LARGE-URL ROUNDS\n", argv[0]);
        return 64;
    }
    int follow = strcmp(argv[1], "follow") == 0;
    int rounds = atoi(argv[4]);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *handle = curl_easy_init();
    size_t expected = 0;
    for (int round = 0; round < rounds; round++) {
        size_t ignored = 0;
        CURLcode redirected = get(handle, argv[2], follow, &ignored);
        if (!follow) {
            long status = 0;
            char *location = NULL;
            curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_getinfo(handle, CURLINFO_REDIRECT_URL, &location);
            if (redirected != CURLE_OK || status != 302 || location == NULL || strncmp(location, "rtsp://", 7) != 0) {
                fprintf(stderr, "round %d: expected a 302 to rtsp://, got code %d status %ld\n", round, redirected, status);
                return 1;
            }
        }
        curl_easy_reset(handle);
        size_t received = 0;
        CURLcode code = get(handle, argv[3], follow, &received);
        if (code != CURLE_OK) {
            fprintf(stderr, "round %d: large reply failed: %s\n", round, curl_easy_strerror(code));
            return 1;
        }
        if (expected == 0) expected = received;
        if (received != expected || received <= 8192) {
            fprintf(stderr, "round %d: %zu bytes, expected %zu (> 8192)\n", round, received, expected);
            return 1;
        }
        curl_easy_reset(handle);
    }
    curl_easy_cleanup(handle);
    curl_global_cleanup();
    printf("ok %zu\n", expected);
    return 0;
}
