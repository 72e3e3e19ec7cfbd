/* What a C program expects from its process, for a kernel that is the only program:
 * exit and _Exit power the machine off with the status (QEMU and Bochs report it), abort says
 * so on the console first. There is no environment, no shell, and one locale ("C"). */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/console.hpp"
#include "hw.h"

_Noreturn void exit(int status)
{
    fflush(NULL);
    hw_poweroff(status);
}

_Noreturn void _Exit(int status)
{
    hw_poweroff(status);
}

_Noreturn void abort(void)
{
    console_puts("abort()\n");
    hw_poweroff(134);       /* 128 + SIGABRT, what a shell reports for an aborted process */
}

/* Static destructors (registered through atexit: the kernel is built -fno-use-cxa-atexit) and
 * exit handlers are accepted and never run: exit() powers off. */
int atexit(void (*fn)(void))
{
    (void)fn;
    return 0;
}

char* getenv(const char* name)
{
    (void)name;
    return NULL;
}

/* No shell: system(NULL) says so; a command fails with ENOSYS (Lua's os.execute then returns
 * nil, "Function not implemented", 38). */
int system(const char* command)
{
    if (!command)
        return 0;
    errno = ENOSYS;
    return -1;
}

char* setlocale(int category, const char* name)
{
    static char c_locale[] = "C";
    if (category < 0 || category > LC_ALL)
        return NULL;
    if (!name || !name[0] || !strcmp(name, "C") || !strcmp(name, "POSIX"))
        return c_locale;
    return NULL;
}
