// html_charts.cpp — the summary page's charts (html_charts.hpp): the diverging
// bar, its legend and the trend line, as table cells and text.
#include "collector/summary/html_charts.hpp"

#include "collector/summary/format_text.hpp"

#include <algorithm>
#include <sstream>

namespace pulse {
namespace {

// One coloured cell of the bar, `percent` of the bar area wide; nothing when
// the part is empty. centre: the cell right of the centre line.
void bar_cell(std::ostringstream& out, double percent, const char* colour, bool centre) {
    if (percent <= 0.0) return;
    const std::string width = decimal(percent, 2, '.') + "%";
    out << "<td width=\"" << width << "\"" << (colour ? std::string(" bgcolor=\"") + colour + "\"" : "")
        << " style=\"width:" << width << ";height:14px;padding:0;font-size:1px;line-height:1px;"
        << (colour ? std::string("background:") + colour + ";" : "")
        << (centre ? "border-left:2px solid #1E2430;" : "") << "\">&nbsp;</td>";
}

}  // namespace

std::string diverging_bar(const Figures& f, const SummaryWords& w) {
    if (f.withheld || f.n <= 0) return "";
    const double n = static_cast<double>(f.n);
    const double disagree = static_cast<double>(f.distribution[0] + f.distribution[1]) / n;
    const double neutral = static_cast<double>(f.distribution[2]) / n;
    const double agree = static_cast<double>(f.distribution[3] + f.distribution[4]) / n;
    // The bar area is 100 %: its centre line at 50 %, each share taking half its size on its side.
    const double left_space = 50.0 * (1.0 - disagree - neutral / 2.0);
    const double right_space = 50.0 * (1.0 - agree - neutral / 2.0);

    std::ostringstream out;
    out << "<table class=\"bar\" role=\"img\" aria-label=\"";
    for (int v = 0; v < 5; ++v) out << (v ? ", " : "") << html_escape(w.scale[v]) << ' ' << f.distribution[v];
    out << "\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
           "style=\"width:100%;border-collapse:collapse;margin:4px 0\"><tr>"
        << "<td width=\"24%\" align=\"right\" style=\"width:24%;padding:0 6px 0 0;font-size:13px;line-height:16px;"
           "color:#8A2E1C;white-space:nowrap;text-align:right\">"
        << html_escape(fill_placeholders(w.disagree, {{"percent", percent_text(disagree)}})) << "</td>"
        << "<td style=\"padding:0\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
           "border=\"0\" style=\"width:100%;border-collapse:collapse;table-layout:fixed;background:#F6F4EF\"><tr>";
    bar_cell(out, left_space, nullptr, false);
    bar_cell(out, 50.0 * disagree, kBarColours[0], false);
    bar_cell(out, 25.0 * neutral, kBarColours[1], false);
    // The centre line stands even when the middle's right half is empty.
    if (neutral > 0.0) bar_cell(out, 25.0 * neutral, kBarColours[1], true);
    bar_cell(out, 50.0 * agree, kBarColours[2], neutral <= 0.0);
    bar_cell(out, right_space, nullptr, neutral <= 0.0 && agree <= 0.0);
    out << "</tr></table></td>"
        << "<td width=\"24%\" style=\"width:24%;padding:0 0 0 6px;font-size:13px;line-height:16px;color:#1F5A94;"
           "white-space:nowrap\">"
        << html_escape(fill_placeholders(w.agree, {{"percent", percent_text(agree)}})) << "</td></tr></table>";
    return out.str();
}

std::string bar_legend(const SummaryWords& w) {
    std::ostringstream out;
    out << "<p class=\"legend\" style=\"margin:6px 0 2px;font-size:13px;color:#5B6270\">";
    for (int part = 0; part < 3; ++part) {
        out << (part ? " &nbsp; " : "") << "<span style=\"white-space:nowrap\"><span style=\"display:inline-block;"
            << "width:10px;height:10px;border:1px solid #5B6270;background:" << kBarColours[part] << "\"></span> "
            << html_escape(w.bar_legend[part]) << "</span>";
    }
    out << "</p>";
    return out.str();
}

std::string trend_line(const Figures& f, const SummaryWords& w, char mark, const std::string& label,
                       const std::vector<std::string>& when) {
    if (f.trend.empty()) return "";
    std::string out = "<p class=\"trend\" style=\"margin:2px 0 0;font-size:13px;color:#5B6270\">" +
                      html_escape(label) + ": ";
    for (std::size_t i = 0; i < f.trend.size() && i < when.size(); ++i) {
        const std::string mean = f.trend[i] ? decimal(*f.trend[i], 1, mark) : std::string("–");
        out += (i ? " · " : "") + html_escape(fill_placeholders(w.trend_week, {{"week", when[i]}, {"mean", mean}}));
    }
    return out + "</p>";
}

}  // namespace pulse
