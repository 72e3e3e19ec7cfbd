// What <new> would declare, for kernel C++ built -nostdinc++: the tag types and placement new.
// The allocating forms of operator new/delete are in cxx_runtime.cpp, over the kernel heap.
#pragma once
#include <stddef.h>

namespace std {
enum class align_val_t : size_t {};
struct nothrow_t {
    explicit nothrow_t() = default;
};
extern const nothrow_t nothrow;
} // namespace std

[[nodiscard]] inline void* operator new(size_t, void* p) noexcept { return p; }
[[nodiscard]] inline void* operator new[](size_t, void* p) noexcept { return p; }
inline void operator delete(void*, void*) noexcept {}
inline void operator delete[](void*, void*) noexcept {}

[[nodiscard]] void* operator new(size_t n, const std::nothrow_t&) noexcept;
[[nodiscard]] void* operator new[](size_t n, const std::nothrow_t&) noexcept;
[[nodiscard]] void* operator new(size_t n, std::align_val_t align, const std::nothrow_t&) noexcept;
[[nodiscard]] void* operator new[](size_t n, std::align_val_t align, const std::nothrow_t&) noexcept;
