// The boot-module registry: a fixed table filled once at boot, names copied out of BootInfo.
// A module named *.tar (a ustar archive, how the ISOs ship their scripts) stands for its members.
#include "kernel/modules.hpp"
#include "kernel/modules_tar.hpp"

#include <string.h>

namespace kernel {
namespace {

constexpr size_t max_entries = 256;
kmodule g_modules[max_entries];
char g_names[max_entries][BootModule::max_name];
size_t g_count = 0;

void add(const char* name, const char* data, size_t size)
{
    if (g_count == max_entries)
        return;
    strncpy(g_names[g_count], name, BootModule::max_name - 1);
    g_names[g_count][BootModule::max_name - 1] = '\0';
    g_modules[g_count] = {g_names[g_count], data, size};
    g_count++;
}

void add_member(const TarMember& m, void*) { add(m.name, m.data, m.size); }

bool is_archive(const char* name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".tar") == 0;
}

const char* basename_of(const char* s) {
    const char* b = s;
    for (const char* p = s; *p; p++)
        if (*p == '/') b = p + 1;
    return b;
}

} // namespace

void register_modules(const BootModule* modules, size_t count) {
    g_count = 0;
    static char member_name[257 + 1];
    for (size_t i = 0; i < count && i < BootInfo::max_modules; i++) {
        const char* data = reinterpret_cast<const char*>(static_cast<uintptr_t>(modules[i].start));
        size_t size = size_t(modules[i].end - modules[i].start);
        if (is_archive(modules[i].name))
            tar_for_each(data, size, member_name, add_member, nullptr);
        else
            add(modules[i].name, data, size);
    }
}

} // namespace kernel

using kernel::g_count;
using kernel::g_modules;

extern "C" {

const struct kmodule* kmodule_find(const char* name) {
    if (name == nullptr || *name == '\0') return nullptr;
    for (size_t i = 0; i < g_count; i++)
        if (strcmp(g_modules[i].name, name) == 0) return &g_modules[i];
    const char* want = kernel::basename_of(name);
    if (*want == '\0') return nullptr;
    for (size_t i = 0; i < g_count; i++)
        if (strcmp(kernel::basename_of(g_modules[i].name), want) == 0) return &g_modules[i];
    return nullptr;
}

size_t kmodule_count(void) { return g_count; }

const struct kmodule* kmodule_at(size_t i) { return i < g_count ? &g_modules[i] : nullptr; }

} // extern "C"
