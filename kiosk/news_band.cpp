// news_band.cpp — the manager's response on the attract screen (news_band.hpp).
#include "kiosk/news_band.hpp"

#include "kiosk/widgets.hpp"

#include <algorithm>

namespace pulse {

namespace {

// "38 svar i uge 48 · Leder A svarer:", or without the number.
std::string heading(const View& v) {
    const News& n = *v.news;
    const std::string week = std::to_string(n.week.week);
    if (!n.answers) return fill_placeholders(v.text("news_heading_withheld"), {{"week", week}, {"manager", n.manager}});
    return fill_placeholders(v.text("news_heading"),
                             {{"answers", std::to_string(*n.answers)}, {"week", week}, {"manager", n.manager}});
}

// The response in the shown language (Danish when it has none), in quotes.
std::string quoted(const View& v) {
    const std::string& text = news_text(*v.news, v.flow.language);
    const bool danish = v.news->response.count(v.flow.language) == 0 || v.flow.language == "da";
    return danish ? "»" + text + "«" : "“" + text + "”";
}

float padding(const Layout& l) { return std::max(l.mm(3), 16 * l.scale); }

}  // namespace

float news_band_height(const View& v, float wrap, int max_lines) {
    if (!v.news || max_lines < 1) return 0;
    ImFont* font = v.fonts.button;
    const float size = font->FontSize;
    const float inner = wrap - 2 * padding(v.layout);
    const float head = text_block_height(font, heading(v), inner, 2);
    const std::vector<std::string> lines = lines_cut(font, size, quoted(v), inner, max_lines);
    return 2 * padding(v.layout) + head + static_cast<float>(lines.size()) * size * 1.15f;
}

float draw_news_band(const View& v, float top, float wrap, int max_lines) {
    if (!v.news || max_lines < 1) return 0;
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImFont* font = v.fonts.button;
    const float size = font->FontSize;
    const float pad = padding(l);
    const float inner = wrap - 2 * pad;
    const float h = news_band_height(v, wrap, max_lines);
    const float x0 = (l.width - wrap) * 0.5f;
    list->AddRectFilled(ImVec2(x0, top), ImVec2(x0 + wrap, top + h), im_colour(p.card), 12 * l.scale);
    list->AddRectFilled(ImVec2(x0, top), ImVec2(x0 + std::max(l.mm(1.5f), 6 * l.scale), top + h), im_colour(p.accent),
                        12 * l.scale, ImDrawFlags_RoundCornersLeft);
    float y = top + pad;
    y += text_block(list, font, heading(v), l.width * 0.5f, y, inner, p.muted, 2);
    for (const std::string& line : lines_cut(font, size, quoted(v), inner, max_lines)) {
        const ImVec2 extent = font->CalcTextSizeA(size, 1e9f, 0, line.c_str());
        list->AddText(font, size, ImVec2(std::round(l.width * 0.5f - extent.x * 0.5f), std::round(y)), im_colour(p.text),
                      line.c_str());
        y += size * 1.15f;
    }
    return h;
}

}  // namespace pulse
