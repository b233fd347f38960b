// screen_out_of_order.cpp — answers cannot be stored right now: plain words
// for staff, in both languages (no session runs, so nobody has chosen one:
// the terminal's language first), and a short code for IT to find in the
// log. No buttons: nothing can be answered until the store works again (it
// is retried in the background); only the admin gesture's invisible corner.
#include "kiosk/widgets.hpp"

namespace pulse {

namespace {

// The languages, the terminal's own first.
std::vector<std::string> own_language_first(const std::string& own) {
    std::vector<std::string> order{own};
    for (const std::string& lang : kLanguages)
        if (lang != own) order.push_back(lang);
    return order;
}

}  // namespace

Intent draw_out_of_order(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = begin_canvas(v);
    const Intent corner = admin_corner(v);  // IT's way in, also when answers cannot be stored
    const float wrap = l.width * 0.84f;
    const std::vector<std::string> langs = own_language_first(v.flow.language);

    // Title and body per language, then the code once in both; the whole
    // block centred on the screen.
    std::string code;
    for (const std::string& lang : langs) {
        if (!code.empty()) code += "  \xC2\xB7  ";  // ·
        code += fill_placeholders(v.texts.get(lang, "out_of_order_code"), {{"code", v.flow.fault_code}});
    }
    const float bar_h = l.mm(3), bar_gap = l.mm(6), title_gap = l.mm(3), lang_gap = l.mm(10), code_gap = l.mm(8);
    float block_h = bar_h + bar_gap + code_gap + text_block_height(v.fonts.fine, code, wrap, 2);
    for (const std::string& lang : langs) {
        block_h += text_block_height(v.fonts.headline, v.texts.get(lang, "out_of_order_title"), wrap, 2) + title_gap +
                   text_block_height(v.fonts.statement, v.texts.get(lang, "out_of_order_body"), wrap, 3);
    }
    block_h += lang_gap * static_cast<float>(langs.size() - 1);
    float y = std::max(l.margin, (l.height - block_h) * 0.5f);

    // A plain bar in the fault colour, so the state is visible from afar.
    list->AddRectFilled(ImVec2(l.width * 0.5f - l.mm(16), y), ImVec2(l.width * 0.5f + l.mm(16), y + bar_h),
                        im_colour(p.fault));
    y += bar_h + bar_gap;
    for (std::size_t i = 0; i < langs.size(); ++i) {
        if (i > 0) y += lang_gap;
        y += text_block(list, v.fonts.headline, v.texts.get(langs[i], "out_of_order_title"), l.width * 0.5f, y, wrap,
                        p.text, 2);
        y += title_gap;
        y += text_block(list, v.fonts.statement, v.texts.get(langs[i], "out_of_order_body"), l.width * 0.5f, y, wrap,
                        p.text, 3);
    }
    y += code_gap;
    text_block(list, v.fonts.fine, code, l.width * 0.5f, y, wrap, p.muted, 2);
    end_canvas();
    return corner;
}

}  // namespace pulse
