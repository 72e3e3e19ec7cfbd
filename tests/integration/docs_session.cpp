#include "tests/integration/docs_session.hpp"

#include <regex>
#include <sstream>

namespace vmxlab::test {
namespace {

std::string rtrim(std::string s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.pop_back();
    return s;
}

// One expected line as a regex: literal text, {{hex}} and {{dec}} as numbers.
std::regex line_pattern(const std::string& expected)
{
    static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
    std::string out;
    size_t pos = 0;
    while (pos < expected.size()) {
        size_t hole = expected.find("{{", pos);
        std::string literal = expected.substr(pos, hole == std::string::npos ? std::string::npos : hole - pos);
        out += std::regex_replace(literal, special, R"(\$&)");
        if (hole == std::string::npos)
            break;
        bool hex = expected.compare(hole, 7, "{{hex}}") == 0, dec = expected.compare(hole, 7, "{{dec}}") == 0;
        bool text = expected.compare(hole, 8, "{{text}}") == 0;
        out += hex ? "0x[0-9a-fA-F]+" : dec ? "[0-9]+" : text ? ".+" : R"(\{\{)";   // else literal braces
        pos = hole + (hex || dec ? 7 : text ? 8 : 2);
    }
    return std::regex(out);
}

// e[i] matches from a[j] on: patterns[i] is e[i]'s regex; best_* track the furthest match.
bool match_from(const std::vector<std::string>& e, const std::vector<std::regex>& patterns, size_t i, const std::vector<std::string>& a, size_t j,
                size_t* best_e, size_t* best_a)
{
    if (i > *best_e || (i == *best_e && j > *best_a)) {
        *best_e = i;
        *best_a = j;
    }
    if (i == e.size())
        return j == a.size();
    if (e[i] == "...") {
        for (size_t k = j; k <= a.size(); ++k)
            if (match_from(e, patterns, i + 1, a, k, best_e, best_a))
                return true;
        return false;
    }
    return j < a.size() && std::regex_match(a[j], patterns[i])
           && match_from(e, patterns, i + 1, a, j + 1, best_e, best_a);
}

} // namespace

std::vector<DocsCommand> parse_docs_sessions(const std::string& markdown)
{
    std::vector<DocsCommand> commands;
    std::istringstream in(markdown);
    std::string line;
    bool inside = false;
    for (int n = 1; std::getline(in, line); ++n) {
        line = rtrim(line);
        if (!inside) {
            inside = line == "```lua-session";
            continue;
        }
        if (line == "```") {
            inside = false;
        } else if (line.rfind("> ", 0) == 0) {
            commands.push_back(DocsCommand { line.substr(2), {}, n });
        } else if (!commands.empty()) {
            commands.back().expected.push_back(line);
        }
    }
    return commands;
}

std::vector<std::string> terminal_lines(const std::string& output)
{
    std::vector<std::string> lines;
    std::string cur;
    bool ends_line = !output.empty() && output.back() == '\n';
    for (char c : ends_line ? output : output + "\n") {
        if (c == '\r')
            continue;
        if (c == '\n') {
            lines.push_back(rtrim(cur));
            cur.clear();
        } else if (c == '\t') {
            cur.append(8 - cur.size() % 8, ' ');
        } else {
            cur += c;
        }
    }
    if (output.empty())
        lines.clear();
    return lines;
}

std::string match_docs_output(const std::vector<std::string>& expected, const std::vector<std::string>& actual)
{
    std::vector<std::regex> patterns;
    for (const std::string& e : expected)
        patterns.push_back(line_pattern(e));
    size_t best_e = 0, best_a = 0;
    if (match_from(expected, patterns, 0, actual, 0, &best_e, &best_a))
        return "";
    std::ostringstream why;
    why << "expected line " << best_e + 1 << " of the docs' output ";
    if (best_e < expected.size())
        why << "'" << expected[best_e] << "'";
    else
        why << "(the end)";
    why << " where the prompt printed ";
    if (best_a < actual.size())
        why << "line " << best_a + 1 << " '" << actual[best_a] << "'";
    else
        why << "nothing more";
    why << "\n--- the real output:\n";
    for (const std::string& l : actual)
        why << l << "\n";
    return why.str();
}

} // namespace vmxlab::test
