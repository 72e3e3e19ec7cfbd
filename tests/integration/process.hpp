// Child processes and the COM1 listening socket, for Session: the POSIX plumbing kept apart
// from the expect/send logic.
#pragma once
#include <string>
#include <sys/types.h>
#include <vector>

namespace vmxlab::test {

// A socket listening on 127.0.0.1 at a free port; returns the fd (or -1, *error set).
int listen_loopback(int* port, std::string* error);

// Starts argv in its own process group with stdin /dev/null and stdout+stderr appended to
// `log`; the child is killed if this process dies. Returns the pid, or -1 with *error set.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log, std::string* error);

// Exit status of `pid` if it has exited (128 + signal when killed), else -1. `block` waits.
int try_reap(pid_t pid, bool block);

// SIGTERM to the process group, SIGKILL after `grace_ms`; returns the exit status.
int terminate(pid_t pid, int grace_ms);

// The last `lines` lines of a text file (at most 2000 characters).
std::string last_lines(const std::string& path, size_t lines);

} // namespace vmxlab::test
