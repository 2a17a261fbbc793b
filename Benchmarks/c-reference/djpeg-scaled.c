/*
 * The C reference for the JPEG benchmark: libjpeg-turbo decoding each file at scale 1/8 to RGB, exactly
 * what `djpeg -scale 1/8` does, but in one process from memory, so that process start-up and file I/O are
 * not counted against libjpeg-turbo. Timed in process CPU time, as the Swift side is: the machine is shared.
 *
 * usage: djpeg-scaled ROUNDS FILE...
 * prints one line: files=N bytes=B rounds=R seconds=S megabytes_per_second=M checksum=C
 */
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
#include <time.h>

struct file { unsigned char *bytes; unsigned long length; };

static struct file load(const char *path) {
    struct file loaded = { NULL, 0 };
    FILE *stream = fopen(path, "rb");
    if (!stream) { perror(path); exit(66); }
    fseek(stream, 0, SEEK_END);
    loaded.length = (unsigned long)ftell(stream);
    fseek(stream, 0, SEEK_SET);
    loaded.bytes = malloc(loaded.length);
    if (fread(loaded.bytes, 1, loaded.length, stream) != loaded.length) { perror(path); exit(66); }
    fclose(stream);
    return loaded;
}

/* Decodes one file at 1/8 scale; returns the first sample so the work cannot be optimised away. */
static int decode(const struct file *file, JSAMPLE *row, struct jpeg_decompress_struct *info) {
    jpeg_mem_src(info, file->bytes, file->length);
    jpeg_read_header(info, TRUE);
    info->scale_num = 1;
    info->scale_denom = 8;
    jpeg_start_decompress(info);
    int first = -1;
    while (info->output_scanline < info->output_height) {
        JSAMPROW rows[1] = { row };
        jpeg_read_scanlines(info, rows, 1);
        if (first < 0) first = row[0];
    }
    jpeg_finish_decompress(info);
    return first;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: djpeg-scaled ROUNDS FILE...\n"); return 64; }
    int rounds = atoi(argv[1]);
    int count = argc - 2;
    struct file *files = calloc((size_t)count, sizeof *files);
    unsigned long total = 0;
    for (int index = 0; index < count; index++) { files[index] = load(argv[index + 2]); total += files[index].length; }
    struct jpeg_decompress_struct info;
    struct jpeg_error_mgr errors;
    info.err = jpeg_std_error(&errors);
    jpeg_create_decompress(&info);
    JSAMPLE *row = malloc(65536 * 3);
    long checksum = 0;
    for (int index = 0; index < count; index++) checksum += decode(&files[index], row, &info);
    struct timespec started, ended;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &started);
    for (int round = 0; round < rounds; round++)
        for (int index = 0; index < count; index++) checksum += decode(&files[index], row, &info);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ended);
    double seconds = (double)(ended.tv_sec - started.tv_sec) + (double)(ended.tv_nsec - started.tv_nsec) / 1e9;
    printf("files=%d bytes=%lu rounds=%d seconds=%f megabytes_per_second=%f checksum=%ld\n",
           count, total, rounds, seconds, (double)total * rounds / 1e6 / seconds, checksum);
    jpeg_destroy_decompress(&info);
    return 0;
}
