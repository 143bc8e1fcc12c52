package io.mapsnap.kernel.bpf;

/** Linux x86_64 errno numbers and their names (asm-generic/errno-base.h, errno.h, linux/errno.h). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ENOTTY = 25;
    public static final int EOPNOTSUPP = 95;
    /** Kernel-internal "not supported" (linux/errno.h) that leaks out of the bpf() syscall; not in libc. */
    public static final int ENOTSUPP = 524;

    private static final String[] NAMES = new String[134];

    static {
        String table = """
                1 EPERM 2 ENOENT 3 ESRCH 4 EINTR 5 EIO 6 ENXIO 7 E2BIG 8 ENOEXEC 9 EBADF 10 ECHILD 11 EAGAIN
                12 ENOMEM 13 EACCES 14 EFAULT 15 ENOTBLK 16 EBUSY 17 EEXIST 18 EXDEV 19 ENODEV 20 ENOTDIR
                21 EISDIR 22 EINVAL 23 ENFILE 24 EMFILE 25 ENOTTY 26 ETXTBSY 27 EFBIG 28 ENOSPC 29 ESPIPE
                30 EROFS 31 EMLINK 32 EPIPE 33 EDOM 34 ERANGE 35 EDEADLK 36 ENAMETOOLONG 37 ENOLCK 38 ENOSYS
                39 ENOTEMPTY 40 ELOOP 42 ENOMSG 43 EIDRM 61 ENODATA 62 ETIME 71 EPROTO 74 EBADMSG 75 EOVERFLOW
                84 EILSEQ 95 EOPNOTSUPP 98 EADDRINUSE 99 EADDRNOTAVAIL 105 ENOBUFS 110 ETIMEDOUT 114 EALREADY
                115 EINPROGRESS 116 ESTALE 122 EDQUOT 125 ECANCELED 126 ENOKEY 127 EKEYEXPIRED 128 EKEYREVOKED
                129 EKEYREJECTED 130 EOWNERDEAD 131 ENOTRECOVERABLE 132 ERFKILL 133 EHWPOISON
                """;
        String[] tokens = table.trim().split("\\s+");
        for (int i = 0; i < tokens.length; i += 2) {
            NAMES[Integer.parseInt(tokens[i])] = tokens[i + 1];
        }
    }

    private Errno() {
    }

    /** The symbolic name of {@code errno} (sign ignored), or {@code errno=N} when it has none. */
    public static String name(int errno) {
        int e = Math.abs(errno);
        if (e < NAMES.length && NAMES[e] != null) {
            return NAMES[e];
        }
        return switch (e) {
            case 512 -> "ERESTARTSYS";
            case 516 -> "ERESTART_RESTARTBLOCK";
            case 521 -> "EBADHANDLE";
            case 523 -> "EBADCOOKIE";
            case 524 -> "ENOTSUPP";
            case 525 -> "ETOOSMALL";
            case 526 -> "ESERVERFAULT";
            case 527 -> "EBADTYPE";
            case 528 -> "EJUKEBOX";
            case 529 -> "EIOCBQUEUED";
            // libbpf's own codes (libbpf.h enum libbpf_errno), returned by bpf_object__open/load.
            case 4000 -> "LIBBPF_ERRNO__LIBELF";
            case 4001 -> "LIBBPF_ERRNO__FORMAT";
            case 4002 -> "LIBBPF_ERRNO__KVERSION";
            case 4003 -> "LIBBPF_ERRNO__ENDIAN";
            case 4004 -> "LIBBPF_ERRNO__INTERNAL";
            case 4005 -> "LIBBPF_ERRNO__RELOC";
            case 4006 -> "LIBBPF_ERRNO__LOAD";
            case 4007 -> "LIBBPF_ERRNO__VERIFY";
            case 4008 -> "LIBBPF_ERRNO__PROG2BIG";
            case 4009 -> "LIBBPF_ERRNO__KVER";
            case 4010 -> "LIBBPF_ERRNO__PROGTYPE";
            case 4011 -> "LIBBPF_ERRNO__WRNGPID";
            case 4012 -> "LIBBPF_ERRNO__INVSEQ";
            case 4013 -> "LIBBPF_ERRNO__NLPARSE";
            default -> "errno=" + e;
        };
    }

    /** {@code EPERM (1)} style rendering used in exception messages. */
    public static String describe(int errno) {
        return name(errno) + " (" + Math.abs(errno) + ")";
    }
}
