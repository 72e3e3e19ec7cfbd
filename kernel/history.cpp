#include "kernel/history.hpp"
#include <string.h>

namespace kernel {

static bool is_blank(const char* s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

bool History::add(const char* line, size_t length)
{
    if (is_blank(line, length) || length > arena_bytes)
        return false;
    if (count_ > 0) {
        Entry last = at(count_ - 1);
        if (last.length == length && memcmp(last.data, line, length) == 0)
            return false;
    }
    while (count_ == max_entries || arena_bytes - used_ < length)
        drop_oldest();
    memcpy(arena_ + used_, line, length);
    offset_[count_] = uint32_t(used_);
    length_[count_] = uint32_t(length);
    used_ += length;
    count_++;
    return true;
}

History::Entry History::at(size_t i) const
{
    if (i >= count_)
        return {"", 0};
    return {arena_ + offset_[i], length_[i]};
}

// Entries stay packed from the start of the arena, so dropping the oldest slides the rest down:
// at most arena_bytes copied per added line, and no wrap-around for readers to handle.
void History::drop_oldest()
{
    if (count_ == 0)
        return;
    size_t gone = length_[0];
    memmove(arena_, arena_ + gone, used_ - gone);
    used_ -= gone;
    for (size_t i = 1; i < count_; i++) {
        offset_[i - 1] = uint32_t(offset_[i] - gone);
        length_[i - 1] = length_[i];
    }
    count_--;
}

} // namespace kernel
