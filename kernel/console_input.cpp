// Lines typed on the console for programs that read stdin (Lua's io.read, io.lines()): the same
// kernel::LineEditor the prompt uses, without history or completion. Interactive mode echoes and
// edits; batch mode (kernel option `batch`) takes bytes verbatim with no echo, as the REPL does.
#include "kernel/console.hpp"
#include "kernel/line_editor.hpp"
#include <string.h>

namespace {

constinit kernel::LineEditor editor;
bool batch;

void echo(void*, const char* data, size_t length) { console_write(data, length); }

} // namespace

extern "C" {

void console_set_batch(int on) { batch = on; }

long console_read_line(char* out, size_t cap)
{
    if (cap < 2)
        return 0;
    editor.set_output(echo, nullptr);
    editor.set_mode(batch ? kernel::LineEditor::Mode::raw : kernel::LineEditor::Mode::interactive);
    for (;;) {
        editor.begin("");
        kernel::LineEditor::Event e = kernel::LineEditor::Event::none;
        while (e == kernel::LineEditor::Event::none) {
            int c = console_getc();
            if (c < 0) {                      // Ctrl-C while Lua code waits: no line, "interrupted!"
                console_write("\n", 1);
                return -1;
            }
            e = editor.feed(uint8_t(c));
        }
        if (e == kernel::LineEditor::Event::eof)
            return -1;
        if (e == kernel::LineEditor::Event::cancel)
            continue;                         // Ctrl-C: the line is discarded, read another
        size_t n = editor.length() < cap - 1 ? editor.length() : cap - 1;
        memcpy(out, editor.line(), n);
        out[n++] = '\n';
        return long(n);
    }
}

}
