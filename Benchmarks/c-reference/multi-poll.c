/*
 * The C reference for xueliang's sweep benchmark: a tight curl_multi_poll loop over the same libcurl,
 * reusing easy handles, N transfers in flight. Two settings:
 *   defaults  libcurl's defaults (only what a probe needs: the URL, a write callback, the RTSP request);
 *   xueliang  every per-transfer setting xueliang itself uses (see Sources/CurlTransport/CurlTransport.swift),
 *             header lines kept and an error buffer included.
 *
 * usage: multi-poll URLS-FILE defaults|xueliang http|rtsp IN-FLIGHT TIMEOUT-MS
 * prints one JSON line: {"transfers":N,"ok":N,"failed":N,"seconds":S,"per_second":R}
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot { CURL *handle; size_t bytes; int rtsp_step; char error[CURL_ERROR_SIZE]; char headers[4096]; size_t header_length; };

/* Keeps the reply's header lines, as xueliang does (it reads Date, Content-Type, CSeq from them). */
static size_t keep_header(char *data, size_t size, size_t count, void *user) {
    struct slot *slot = user;
    size_t length = size * count;
    if (slot->header_length + length <= sizeof slot->headers) {
        memcpy(slot->headers + slot->header_length, data, length);
        slot->header_length += length;
    }
    return length;
}

static size_t discard(char *data, size_t size, size_t count, void *user) {
    struct slot *slot = user;
    size_t length = size * count;
    (void)data;
    slot->bytes += length;
    return slot->bytes > (4u << 20) ? 0 : length; /* the same byte cap as xueliang */
}

static int tuned, rtsp;
static long timeout_ms;

static void configure(struct slot *slot, const char *url) {
    CURL *handle = slot->handle;
    if (tuned) curl_easy_reset(handle);
    curl_easy_setopt(handle, CURLOPT_URL, url);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, slot);
    curl_easy_setopt(handle, CURLOPT_PRIVATE, slot);
    slot->bytes = 0;
    slot->header_length = 0;
    slot->rtsp_step = 0;
    if (rtsp) {
        curl_easy_setopt(handle, CURLOPT_RTSP_STREAM_URI, url);
        curl_easy_setopt(handle, CURLOPT_RTSP_REQUEST, (long)CURL_RTSPREQ_OPTIONS);
        curl_easy_setopt(handle, CURLOPT_RTSP_CLIENT_CSEQ, 1L);
    }
    if (!tuned) return;
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https,rtsp");
    curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(handle, CURLOPT_FORBID_REUSE, 1L); /* every request on its own closed connection, as xueliang */
    curl_easy_setopt(handle, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
    curl_easy_setopt(handle, CURLOPT_QUICK_EXIT, 1L);
    curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)(4 << 20));
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, slot->error);
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "xueliang/0.1");
    curl_easy_setopt(handle, CURLOPT_PROXY, "");
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, keep_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, slot);
    curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, 8192L);
    if (!rtsp) {
        curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(handle, CURLOPT_MAXREDIRS, 3L);
    }
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: %s URLS defaults|xueliang http|rtsp IN-FLIGHT TIMEOUT-MS\n", argv[0]); return 64; }
    tuned = strcmp(argv[2], "xueliang") == 0;
    rtsp = strcmp(argv[3], "rtsp") == 0;
    int in_flight = atoi(argv[4]);
    timeout_ms = atol(argv[5]);

    FILE *file = fopen(argv[1], "r");
    if (!file) { perror(argv[1]); return 66; }
    size_t count = 0, capacity = 1024;
    char **urls = malloc(capacity * sizeof *urls);
    char line[1024];
    while (fgets(line, sizeof line, file)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) continue;
        if (count == capacity) urls = realloc(urls, (capacity *= 2) * sizeof *urls);
        urls[count++] = strdup(line);
    }
    fclose(file);

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *multi = curl_multi_init();
    struct slot *slots = calloc(in_flight, sizeof *slots);
    size_t next = 0, ok = 0, failed = 0;
    int running = 0, active = 0; /* active: handles added and not finished (running can be stale after a re-add) */
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < in_flight && next < count; i++) {
        slots[i].handle = curl_easy_init();
        configure(&slots[i], urls[next++]);
        curl_multi_add_handle(multi, slots[i].handle);
        active++;
    }
    do {
        curl_multi_perform(multi, &running);
        CURLMsg *message;
        int left;
        while ((message = curl_multi_info_read(multi, &left))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *handle = message->easy_handle;
            struct slot *slot;
            curl_easy_getinfo(handle, CURLINFO_PRIVATE, (char **)&slot);
            CURLcode code = message->data.result;
            long status = 0;
            curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
            curl_multi_remove_handle(multi, handle);
            if (rtsp && code == CURLE_OK && status == 200 && slot->rtsp_step == 0) {
                /* DESCRIBE on the same connection, as xueliang does */
                slot->rtsp_step = 1;
                curl_easy_setopt(handle, CURLOPT_RTSP_REQUEST, (long)CURL_RTSPREQ_DESCRIBE);
                curl_multi_add_handle(multi, handle);
                continue;
            }
            if (code == CURLE_OK && status >= 200 && status < 300) ok++; else failed++;
            active--;
            if (next < count) {
                configure(slot, urls[next++]);
                curl_multi_add_handle(multi, handle);
                active++;
            }
        }
        if (active) curl_multi_poll(multi, NULL, 0, 1000, NULL);
    } while (active);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("{\"transfers\":%zu,\"ok\":%zu,\"failed\":%zu,\"seconds\":%.3f,\"per_second\":%.0f}\n",
           ok + failed, ok, failed, seconds, (ok + failed) / seconds);
    return 0;
}
