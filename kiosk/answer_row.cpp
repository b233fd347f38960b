// answer_row.cpp — the answer buttons and the secondary rows (see
// answer_row.hpp).
#include "kiosk/answer_row.hpp"

#include "kiosk/widgets.hpp"

#include <algorithm>

namespace pulse {

namespace {

float answer_gap(const Layout& l) { return std::max(l.min_gap(), 20 * l.scale); }
float secondary_height(const Layout& l) { return std::max(l.min_target(), 88 * l.scale); }

// The neutral check mark on a chosen button: a dark badge with a white
// tick in its top-right corner and a dark frame around it, the same for
// every answer (the colour stays the answer's own).
void mark_chosen(ImDrawList* list, const View& v, ImVec2 min, ImVec2 max) {
    const Layout& l = v.layout;
    const float frame = std::max(3.0f, 6 * l.scale);
    list->AddRect(ImVec2(min.x - frame * 0.5f, min.y - frame * 0.5f), ImVec2(max.x + frame * 0.5f, max.y + frame * 0.5f),
                  im_colour(v.palette.text), 12 * l.scale, 0, frame);
    const float r = std::max(l.mm(4.5f), std::min(max.x - min.x, max.y - min.y) * 0.15f);
    draw_check(list, ImVec2(max.x - r * 0.6f, min.y + r * 0.6f), r, v.palette.text, v.palette.card);
}

struct Item {
    Secondary kind;
    std::string id;
    std::string label;
    float width = 0;
};

// One button per item; the languages are one item per language.
std::vector<Item> items_for(const View& v, const std::vector<Secondary>& buttons) {
    const Layout& l = v.layout;
    const float pad = std::max(l.mm(5), 32 * l.scale);
    std::vector<Item> items;
    const auto add = [&](Secondary kind, std::string id, std::string label) {
        const ImVec2 size = v.fonts.button->CalcTextSizeA(v.fonts.button->FontSize, 1e9f, 0, label.c_str());
        float width = std::max(l.min_target() * 1.6f, size.x + 2 * pad);
        if (kind == Secondary::about) width += v.fonts.button->FontSize * 1.3f;  // the (i) before the label
        items.push_back({kind, std::move(id), std::move(label), width});
    };
    for (Secondary b : buttons) {
        switch (b) {
            case Secondary::back: add(b, "back", v.text("back")); break;
            case Secondary::dont_know: add(b, "dont-know", v.text("dont_know")); break;
            case Secondary::skip: add(b, "skip", v.text("skip")); break;
            case Secondary::about: add(b, "about", v.text("about_button")); break;
            case Secondary::close: add(b, "about-close", v.text("about_close")); break;
            case Secondary::languages:
                for (const std::string& lang : kLanguages) add(b, "lang-" + lang, v.texts.get(lang, "language_label"));
                break;
        }
    }
    return items;
}

// The items split into rows that fit between the margins, in order.
std::vector<std::vector<Item>> rows_of(const View& v, std::vector<Item> items) {
    const Layout& l = v.layout;
    const float room = l.width - 2 * l.margin, gap = answer_gap(l);
    std::vector<std::vector<Item>> rows(1);
    float used = 0;
    for (Item& item : items) {
        const float need = rows.back().empty() ? item.width : used + gap + item.width;
        if (!rows.back().empty() && need > room) {
            rows.emplace_back();
            used = item.width;
        } else {
            used = need;
        }
        rows.back().push_back(std::move(item));
    }
    return rows;
}

}  // namespace

int statement_lines(const View& v, const std::string& statement, float wrap_width, float space) {
    int best = 3;
    float best_h = 1e9f;
    for (int lines = 3; lines >= 1; --lines) {
        const float h = text_block_height(v.fonts.statement, statement, wrap_width, lines);
        if (h <= space) return lines;
        if (h < best_h) {
            best_h = h;
            best = lines;
        }
    }
    return best;
}

float answer_buttons_height(const Layout& l) {
    return std::max(l.min_target(), l.portrait ? l.height * 0.17f : l.height * 0.30f);
}

Intent answer_buttons(const View& v, float top) {
    const Layout& l = v.layout;
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float gap = answer_gap(l);
    const float row_w = l.width - 2 * l.margin;
    const float answer_w = std::max(l.min_target(), (row_w - 4 * gap) / 5);
    const float answer_h = answer_buttons_height(l);
    const float row_left = (l.width - (5 * answer_w + 4 * gap)) * 0.5f;
    Intent intent;
    for (int value = 1; value <= 5; ++value) {
        const float x = row_left + static_cast<float>(value - 1) * (answer_w + gap);
        const ImVec2 min(x, top), max(x + answer_w, top + answer_h);
        if (answer_button(v, value, min, max)) intent = Intent{Intent::Action::answer, value, {}};
        if (v.flow.chosen == value) mark_chosen(list, v, min, max);
    }
    return intent;
}

float secondary_rows_height(const View& v, const std::vector<Secondary>& buttons) {
    const std::size_t rows = rows_of(v, items_for(v, buttons)).size();
    const float h = secondary_height(v.layout);
    return static_cast<float>(rows) * h + static_cast<float>(rows - 1) * answer_gap(v.layout);
}

Intent secondary_rows(const View& v, const std::vector<Secondary>& buttons, float top) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float gap = answer_gap(l), h = secondary_height(l);
    Intent intent;
    float y = top;
    for (const std::vector<Item>& row : rows_of(v, items_for(v, buttons))) {
        float row_w = -gap;
        for (const Item& item : row) row_w += item.width + gap;
        float x = (l.width - row_w) * 0.5f;
        for (const Item& item : row) {
            const ImVec2 min(x, y), max(x + item.width, y + h);
            const bool language = item.kind == Secondary::languages;
            const bool shown_language = language && item.id == "lang-" + v.flow.language;
            ButtonLook look;
            look.fill = shown_language ? p.text : language ? p.card : p.background;
            look.text = shown_language ? p.background : p.text;
            look.border = p.outline;
            look.border_px = std::max(2.0f, 3 * l.scale);
            look.font = v.fonts.button;
            const std::string label = item.kind == Secondary::about ? "" : item.label;
            look.label = item.kind == Secondary::about ? nullptr : label.c_str();
            if (touch_button(v, item.id.c_str(), min, max, look)) {
                switch (item.kind) {
                    case Secondary::back: intent = Intent{Intent::Action::back, 0, {}}; break;
                    case Secondary::dont_know: intent = Intent{Intent::Action::dont_know, 0, {}}; break;
                    case Secondary::skip: intent = Intent{Intent::Action::skip, 0, {}}; break;
                    case Secondary::about: intent = Intent{Intent::Action::about, 0, {}}; break;
                    case Secondary::close: intent = Intent{Intent::Action::close, 0, {}}; break;
                    case Secondary::languages: intent = Intent{Intent::Action::set_language, 0, item.id.substr(5)}; break;
                }
            }
            if (item.kind == Secondary::about) {
                // An (i) in a ring, then the label.
                ImFont* font = v.fonts.button;
                const float r = font->FontSize * 0.55f;
                const ImVec2 text = font->CalcTextSizeA(font->FontSize, 1e9f, 0, item.label.c_str());
                const float content = 2 * r + font->FontSize * 0.4f + text.x;
                const float cx = min.x + (item.width - content) * 0.5f + r, cy = (min.y + max.y) * 0.5f;
                list->AddCircle(ImVec2(cx, cy), r, im_colour(p.text), 24, std::max(2.0f, 3 * l.scale));
                const ImVec2 i_size = font->CalcTextSizeA(font->FontSize, 1e9f, 0, "i");
                list->AddText(font, font->FontSize, ImVec2(cx - i_size.x * 0.5f, cy - i_size.y * 0.5f),
                              im_colour(p.text), "i");
                list->AddText(font, font->FontSize, ImVec2(cx + r + font->FontSize * 0.4f, cy - text.y * 0.5f),
                              im_colour(p.text), item.label.c_str());
            }
            if (item.kind == Secondary::dont_know && v.flow.chosen == 0) mark_chosen(list, v, min, max);
            x += item.width + gap;
        }
        y += h + gap;
    }
    return intent;
}

}  // namespace pulse
