// html_charts.cpp — the summary page's charts (html_charts.hpp): SVG bar and
// sparkline for a browser, table-cell bar and trend text for an e-mail.
#include "collector/summary/html_charts.hpp"

#include "collector/summary/format_text.hpp"

#include <sstream>

namespace pulse {

std::string distribution_svg(const Figures& f, const SummaryWords& w) {
    std::ostringstream svg;
    svg << "<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"";
    for (int v = 0; v < 5; ++v) svg << (v ? ", " : "") << html_escape(w.scale[v]) << ' ' << f.distribution[v];
    svg << "\">";
    double x = 0.0;
    for (int v = 0; v < 5; ++v) {
        if (f.distribution[v] == 0 || f.n == 0) continue;
        const double width = 100.0 * static_cast<double>(f.distribution[v]) / static_cast<double>(f.n);
        svg << "<rect x=\"" << decimal(x, 2, '.') << "\" y=\"0\" width=\"" << decimal(width, 2, '.')
            << "\" height=\"10\" fill=\"" << kRamp[v] << "\"><title>" << html_escape(w.scale[v]) << ": "
            << f.distribution[v] << "</title></rect>";
        x += width;
    }
    svg << "</svg>";
    return svg.str();
}

std::string sparkline_svg(const Figures& f, const SummaryWords& w, char mark) {
    if (f.trend.empty()) return "";
    const double width = 64, height = 20, pad = 3;
    auto x_of = [&](std::size_t i) { return pad + (width - 2 * pad) * static_cast<double>(i) / 3.0; };
    auto y_of = [&](double mean) { return pad + (height - 2 * pad) * (5.0 - mean) / 4.0; };
    std::ostringstream svg, label;
    for (std::size_t i = 0; i < f.trend.size(); ++i) {
        label << (i ? ", " : "") << (f.trend[i] ? decimal(*f.trend[i], 1, mark) : w.too_few);
    }
    svg << "<svg class=\"spark\" viewBox=\"0 0 64 20\" width=\"64\" height=\"20\" role=\"img\" aria-label=\""
        << html_escape(w.trend) << ": " << html_escape(label.str()) << "\">";
    svg << "<line x1=\"" << pad << "\" x2=\"" << width - pad << "\" y1=\"" << y_of(3.0) << "\" y2=\"" << y_of(3.0)
        << "\" stroke=\"#D9D9D9\" stroke-width=\"1\"/>";
    for (std::size_t i = 0; i + 1 < f.trend.size(); ++i) {
        if (!f.trend[i] || !f.trend[i + 1]) continue;
        svg << "<line x1=\"" << decimal(x_of(i), 1, '.') << "\" y1=\"" << decimal(y_of(*f.trend[i]), 1, '.')
            << "\" x2=\"" << decimal(x_of(i + 1), 1, '.') << "\" y2=\"" << decimal(y_of(*f.trend[i + 1]), 1, '.')
            << "\" stroke=\"#2F6FA8\" stroke-width=\"1.5\"/>";
    }
    for (std::size_t i = 0; i < f.trend.size(); ++i) {
        if (!f.trend[i]) continue;
        svg << "<circle cx=\"" << decimal(x_of(i), 1, '.') << "\" cy=\"" << decimal(y_of(*f.trend[i]), 1, '.')
            << "\" r=\"2\" fill=\"#1E2430\"/>";
    }
    svg << "</svg>";
    return svg.str();
}

std::string distribution_table(const Figures& f, const SummaryWords& w) {
    std::ostringstream out;
    out << "<table class=\"bar\" role=\"img\" aria-label=\"";
    for (int v = 0; v < 5; ++v) out << (v ? ", " : "") << html_escape(w.scale[v]) << ' ' << f.distribution[v];
    out << "\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
           "style=\"width:100%;border-collapse:collapse;margin-top:5px\"><tr>";
    for (int v = 0; v < 5; ++v) {
        if (f.distribution[v] == 0 || f.n == 0) continue;
        const std::string width =
            decimal(100.0 * static_cast<double>(f.distribution[v]) / static_cast<double>(f.n), 1, '.') + "%";
        out << "<td width=\"" << width << "\" bgcolor=\"" << kRamp[v] << "\" title=\"" << html_escape(w.scale[v])
            << ": " << f.distribution[v] << "\" style=\"width:" << width << ";height:10px;background:" << kRamp[v]
            << ";font-size:1px;line-height:1px\">&nbsp;</td>";
    }
    out << "</tr></table>";
    return out.str();
}

std::string trend_text(const Figures& f, const SummaryWords& w, char mark) {
    if (f.trend.empty()) return "";
    std::string out = "<span class=\"trend\">" + html_escape(w.trend) + ": ";
    for (std::size_t i = 0; i < f.trend.size(); ++i) {
        out += (i ? " · " : "") + (f.trend[i] ? decimal(*f.trend[i], 1, mark) : std::string("–"));
    }
    return out + "</span>";
}

}  // namespace pulse
