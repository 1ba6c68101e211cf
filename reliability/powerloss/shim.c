/* Power-loss simulation for reliability/power_loss_trials.py: an LD_PRELOAD library that records,
 * for each file in one directory, what every write since that file's last fsync overwrote, so
 * that after a SIGKILL replay() (reliability/powerloss/__init__.py) can put every file back exactly as it was
 * at its last fsync/fdatasync: the state a disk holds after the power goes, in the strictest
 * model (the kernel wrote back nothing it was not told to sync).
 *
 *   POWERLOSS_DATA_DIR  the directory whose files are watched (files directly in it; not below)
 *   POWERLOSS_UNDO_DIR  where the undo logs go (another directory: the watched one stays clean)
 * Without both variables every call passes straight through.
 *
 * Undo log of file NAME: UNDO_DIR/NAME.undo, a sequence of records
 *     u64 offset, u64 size_before, u64 n, then n bytes (the old bytes at offset)
 * little-endian as the machine writes it. Undoing a record = pwrite(old bytes, offset) then
 * ftruncate(size_before); undoing the records newest first restores the state before the first.
 * Each record is appended (O_APPEND, never fsynced: the simulation only replays after the
 * process is dead, and the OS keeps its page cache) BEFORE the write it describes is done, so a
 * SIGKILL between the two leaves a record of a write that may not have happened, which undoing
 * restores harmlessly.
 * Files created since the watched directory's last fsync are listed in UNDO_DIR/created (their
 * directory entry is not durable yet, POSIX fsync(2)); the replay deletes them.
 *
 * Not modelled: unlink (taken as durable at once: the undo log is dropped), rename, dup/dup2 of
 * a watched descriptor, openat() relative to a directory descriptor other than AT_FDCWD, mmap'd
 * writes (SQLite's -shm file is mmap'd; it is not watched and the replay deletes it: SQLite
 * rebuilds it from the WAL). None of these are used on the database's files by SQLite in WAL
 * mode while it serves (it unlinks the WAL only at a clean close).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FDS 65536

/* The real libc functions: the shim's own I/O must not go through its interceptions. */
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_close)(int);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);

enum { UNTRACKED = 0, FILE_FD, DIR_FD };
static struct {
    char kind;
    int shadow;  /* the file opened read-only: reads the old bytes even of an O_WRONLY descriptor */
    int undo;    /* its undo log, O_APPEND */
} fds[MAX_FDS]; /* zero (UNTRACKED) until a watched file is opened: safe before any constructor */

static char data_dir[PATH_MAX], undo_dir[PATH_MAX];
static int active;
static int created_fd = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* a record and its write, in order */

static void init(void) {
    real_open = dlsym(RTLD_NEXT, "open64");
    real_openat = dlsym(RTLD_NEXT, "openat64");
    real_write = dlsym(RTLD_NEXT, "write");
    real_writev = dlsym(RTLD_NEXT, "writev");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite64");
    real_ftruncate = dlsym(RTLD_NEXT, "ftruncate64");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_close = dlsym(RTLD_NEXT, "close");
    real_unlink = dlsym(RTLD_NEXT, "unlink");
    real_unlinkat = dlsym(RTLD_NEXT, "unlinkat");
    const char *d = getenv("POWERLOSS_DATA_DIR"), *u = getenv("POWERLOSS_UNDO_DIR");
    if (!d || !u || !realpath(d, data_dir) || snprintf(undo_dir, sizeof undo_dir, "%s", u) >= PATH_MAX)
        return;
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/created", undo_dir);
    created_fd = real_open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    active = created_fd >= 0;
}

static void die(const char *what) {
    fprintf(stderr, "powerloss shim: %s: %s\n", what, strerror(errno));
    abort(); /* a simulation that silently stops recording would pass for a durable server */
}

/* Which watched file (or the watched directory itself) `path` names; its base name in `name`. */
static int classify(const char *path, char name[PATH_MAX]) {
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else strcpy(dir, ".");
    if (slash == path) strcpy(dir, "/");
    snprintf(name, PATH_MAX, "%s", slash ? slash + 1 : path);
    if (realpath(path, real) && strcmp(real, data_dir) == 0) return DIR_FD;
    if (!realpath(dir, real) || strcmp(real, data_dir) != 0 || !*name) return UNTRACKED;
    size_t n = strlen(name);
    if (n >= 4 && strcmp(name + n - 4, "-shm") == 0) return UNTRACKED; /* mmap'd; see above */
    return FILE_FD;
}

static void append(int fd, const void *a, size_t an, const void *b, size_t bn) {
    struct iovec iov[2] = {{(void *)a, an}, {(void *)b, bn}};
    if (real_writev(fd, iov, 2) != (ssize_t)(an + bn)) die("writing an undo record");
}

/* Record what a write of `len` bytes at `offset` (or a truncation to `offset`, len = -1) is
 * about to change: the old bytes in range and the size before. */
static void record(int fd, uint64_t offset, int64_t len) {
    struct stat st;
    if (fstat(fds[fd].shadow, &st) != 0) die("fstat");
    uint64_t size = (uint64_t)st.st_size, n = 0;
    if (offset < size) n = len < 0 ? size - offset : ((uint64_t)len < size - offset ? (uint64_t)len : size - offset);
    char *old = n ? malloc(n) : NULL;
    if (n && !old) die("malloc");
    if (n && pread(fds[fd].shadow, old, n, (off_t)offset) != (ssize_t)n) die("reading old bytes");
    uint64_t hdr[3] = {offset, size, n};
    append(fds[fd].undo, hdr, sizeof hdr, old, n);
    free(old);
}

static int tracked(int fd) {
    pthread_once(&once, init);
    return active && fd >= 0 && fd < MAX_FDS && fds[fd].kind == FILE_FD;
}

/* The offset a write() or writev() starts at: the end for O_APPEND, else the file position. */
static uint64_t position(int fd) {
    if (fcntl(fd, F_GETFL) & O_APPEND) {
        struct stat st;
        if (fstat(fd, &st) != 0) die("fstat");
        return (uint64_t)st.st_size;
    }
    return (uint64_t)lseek(fd, 0, SEEK_CUR);
}

/* open: learn which descriptors are watched files; note files it creates; log O_TRUNC. */
static int opened(const char *path, int flags, mode_t mode, int dirfd) {
    pthread_once(&once, init);
    char name[PATH_MAX];
    int kind = active && (dirfd == AT_FDCWD || path[0] == '/') ? classify(path, name) : UNTRACKED;
    if (kind != FILE_FD) {
        int fd = dirfd == AT_FDCWD ? real_open(path, flags, mode) : real_openat(dirfd, path, flags, mode);
        if (fd >= 0 && fd < MAX_FDS) fds[fd].kind = kind == DIR_FD ? DIR_FD : UNTRACKED;
        return fd;
    }
    pthread_mutex_lock(&lock);
    struct stat st;
    int existed = stat(path, &st) == 0;
    int fd = real_open(path, flags & ~O_TRUNC, mode); /* truncated below, logged */
    if (fd >= 0) {
        char undo[PATH_MAX * 2 + 16];
        snprintf(undo, sizeof undo, "%s/%s.undo", undo_dir, name);
        if (fd >= MAX_FDS) { errno = EMFILE; die("descriptor above MAX_FDS"); }
        fds[fd].shadow = real_open(path, O_RDONLY | O_CLOEXEC);
        fds[fd].undo = real_open(undo, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fds[fd].shadow < 0 || fds[fd].undo < 0) die("opening the shadow or undo file");
        fds[fd].kind = FILE_FD;
        if (!existed) append(created_fd, name, strlen(name), "\n", 1);
        if (existed && (flags & O_TRUNC)) {
            record(fd, 0, -1);
            real_ftruncate(fd, 0);
        }
    }
    pthread_mutex_unlock(&lock);
    return fd;
}

#define MODE_ARG(flags) mode_t mode = 0; if ((flags) & (O_CREAT | __O_TMPFILE)) { \
    va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
int open(const char *path, int flags, ...) { MODE_ARG(flags); return opened(path, flags, mode, AT_FDCWD); }
int open64(const char *path, int flags, ...) { MODE_ARG(flags); return opened(path, flags, mode, AT_FDCWD); }
int openat(int dirfd, const char *path, int flags, ...) { MODE_ARG(flags); return opened(path, flags, mode, dirfd); }
int openat64(int dirfd, const char *path, int flags, ...) { MODE_ARG(flags); return opened(path, flags, mode, dirfd); }

/* The writes: each logs what it overwrites first. write and writev are Python's (os.write, the
 * lock file), pwrite64 and ftruncate64 SQLite's; the others are their aliases. */
ssize_t write(int fd, const void *buf, size_t n) {
    if (!tracked(fd)) return real_write(fd, buf, n);
    pthread_mutex_lock(&lock);
    record(fd, position(fd), (int64_t)n);
    ssize_t r = real_write(fd, buf, n);
    pthread_mutex_unlock(&lock);
    return r;
}

ssize_t writev(int fd, const struct iovec *iov, int count) {
    if (!tracked(fd)) return real_writev(fd, iov, count);
    size_t n = 0;
    for (int i = 0; i < count; i++) n += iov[i].iov_len;
    pthread_mutex_lock(&lock);
    record(fd, position(fd), (int64_t)n);
    ssize_t r = real_writev(fd, iov, count);
    pthread_mutex_unlock(&lock);
    return r;
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t offset) {
    if (!tracked(fd)) return real_pwrite(fd, buf, n, offset);
    pthread_mutex_lock(&lock);
    record(fd, (uint64_t)offset, (int64_t)n);
    ssize_t r = real_pwrite(fd, buf, n, offset);
    pthread_mutex_unlock(&lock);
    return r;
}
ssize_t pwrite(int fd, const void *buf, size_t n, off_t offset) { return pwrite64(fd, buf, n, offset); }

int ftruncate64(int fd, off_t length) {
    if (!tracked(fd)) return real_ftruncate(fd, length);
    pthread_mutex_lock(&lock);
    record(fd, (uint64_t)length, -1);
    int r = real_ftruncate(fd, length);
    pthread_mutex_unlock(&lock);
    return r;
}
int ftruncate(int fd, off_t length) { return ftruncate64(fd, length); }

/* A successful sync makes the file's writes durable (its undo log is emptied) or, for the
 * watched directory, the files created in it (the created list is emptied). */
static int synced(int fd, int r) {
    if (r != 0 || !active || fd < 0 || fd >= MAX_FDS) return r;
    pthread_mutex_lock(&lock);
    if (fds[fd].kind == FILE_FD && real_ftruncate(fds[fd].undo, 0) != 0) die("emptying an undo log");
    if (fds[fd].kind == DIR_FD && real_ftruncate(created_fd, 0) != 0) die("emptying the created list");
    pthread_mutex_unlock(&lock);
    return r;
}
int fsync(int fd) { pthread_once(&once, init); return synced(fd, real_fsync(fd)); }
int fdatasync(int fd) { pthread_once(&once, init); return synced(fd, real_fdatasync(fd)); }

/* close: forget the descriptor (its number will be reused for other files). */
int close(int fd) {
    pthread_once(&once, init);
    if (active && fd >= 0 && fd < MAX_FDS && fds[fd].kind != UNTRACKED) {
        pthread_mutex_lock(&lock);
        if (fds[fd].kind == FILE_FD) { real_close(fds[fd].shadow); real_close(fds[fd].undo); }
        fds[fd].kind = UNTRACKED;
        pthread_mutex_unlock(&lock);
    }
    return real_close(fd);
}

/* unlink: the file is gone, so its undo log must not be applied to a later file of that name. */
static void forget(const char *path) {
    char name[PATH_MAX], undo[PATH_MAX * 2 + 16];
    if (!active || classify(path, name) != FILE_FD) return;
    snprintf(undo, sizeof undo, "%s/%s.undo", undo_dir, name);
    real_unlink(undo);
}
int unlink(const char *path) { pthread_once(&once, init); forget(path); return real_unlink(path); }
int unlinkat(int dirfd, const char *path, int flags) {
    pthread_once(&once, init);
    if (dirfd == AT_FDCWD || path[0] == '/') forget(path);
    return real_unlinkat(dirfd, path, flags);
}
