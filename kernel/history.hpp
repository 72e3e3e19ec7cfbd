// The REPL's input history: lines in memory, oldest first, in one fixed arena (no heap).
// Pure logic: host tests drive it directly.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace kernel {

class History {
public:
    static constexpr size_t max_entries = 128;        // the ring: the oldest line goes first
    static constexpr size_t arena_bytes = 128 * 1024; // all lines together; 100 lines of 1 KiB fit

    struct Entry {
        const char* data;   // not NUL-terminated; may contain any byte
        size_t length;
    };

    constexpr History() = default;

    // Keeps a copy of the line unless it is blank (empty or only spaces/tabs), equal to the newest
    // entry, or longer than the whole arena. Returns whether it was added.
    bool add(const char* line, size_t length);
    size_t size() const { return count_; }
    Entry at(size_t i) const;                          // 0 = oldest, size()-1 = newest
    void clear() { count_ = 0; used_ = 0; }

private:
    void drop_oldest();

    char arena_[arena_bytes] = {};
    uint32_t offset_[max_entries] = {};
    uint32_t length_[max_entries] = {};
    size_t count_ = 0;
    size_t used_ = 0;   // bytes of arena_ in use; entries are packed in order
};

} // namespace kernel
