// answer_row.cpp — the answer buttons (tiles in a row, or bars in a
// portrait column) and the secondary rows (see answer_row.hpp).
#include "kiosk/answer_row.hpp"

#include "kiosk/widgets.hpp"

#include <algorithm>

namespace pulse {

namespace {

float answer_gap(const Layout& l) { return std::max(l.min_gap(), 20 * l.scale); }
float secondary_height(const Layout& l) { return std::max(l.min_target(), 88 * l.scale); }

// The radius of the check mark's badge on a chosen button of w × h px.
float badge_radius(const Layout& l, float w, float h) { return std::max(l.mm(4.5f), std::min(w, h) * 0.15f); }

// The neutral check mark on a chosen button: a dark badge of radius r px
// (0: badge_radius) with a white tick in its top-right corner and a dark
// frame around it, the same for every answer (the colour stays the
// answer's own).
void mark_chosen(ImDrawList* list, const View& v, ImVec2 min, ImVec2 max, float r = 0) {
    const Layout& l = v.layout;
    const float frame = std::max(3.0f, 6 * l.scale);
    list->AddRect(ImVec2(min.x - frame * 0.5f, min.y - frame * 0.5f), ImVec2(max.x + frame * 0.5f, max.y + frame * 0.5f),
                  im_colour(v.palette.text), 12 * l.scale, 0, frame);
    if (r <= 0) r = badge_radius(l, max.x - min.x, max.y - min.y);
    draw_check(list, ImVec2(max.x - r * 0.6f, min.y + r * 0.6f), r, v.palette.text, v.palette.card);
}

// [SECTION] The five answers

constexpr float kLabelLeading = 1.05f;  // the answer words' line height over their size

// The word for answer value 1..5 in the shown language.
const std::string& answer_word(const View& v, int value) {
    return v.text(("answer_" + std::to_string(value)).c_str());
}

// The answers' geometry for a view, worked out once for the height the
// screens lay out by and again for drawing (the same numbers both times).
struct Answers {
    bool column = false;   // portrait: a full-width bar per answer, 1 at the top; else tiles in a row, 1 at the left
    float left = 0;        // the first button's left edge, px
    float width = 0;       // each button's width, px
    float height = 0;      // each button's height, px (the same for all five)
    float gap = 0;         // between two buttons, px
    float outline = 0;     // the 3:1 outline's width, px
    float band = 0;        // the scale colour's band inside it, px
    float face_d = 0;      // the faces' diameter, px (kAnswerFace_mm, kAnswerFaceBar_mm)
    float label_size = 0;  // the words' size, px: the button font's, unless a word is wider than its room
    int label_lines = 1;   // lines kept for the words: as many as the longest of the five needs
    float text_left = 0;   // bars: the words' left edge, from the button's, px
    float text_w = 0;      // the words' wrap width, px
    float badge_r = 0;     // the check mark's radius on a chosen one, px (0: badge_radius)
    float inner() const { return outline + band; }
    float block_h() const { return column ? 5 * height + 4 * gap : height; }
};

// The size the five words are drawn at within wrap px: the button font's
// (kMinCap_mm), or smaller if a single word is wider than wrap (a word is
// never broken). Only a panel far narrower than any we support does that,
// and the legibility tests would say so.
float label_size_for(const View& v, float wrap) {
    ImFont* font = v.fonts.button;
    float size = font->FontSize;
    for (int value = 1; value <= 5; ++value) {
        const float widest = widest_word(font, font->FontSize, answer_word(v, value));
        if (widest > wrap * 0.98f) size = std::min(size, font->FontSize * wrap * 0.98f / widest);
    }
    return size;
}

// The most lines any of the five words takes at size within wrap px.
int label_lines_for(const View& v, float size, float wrap) {
    int lines = 1;
    for (int value = 1; value <= 5; ++value) lines = std::max(lines, line_count(v.fonts.button, size, answer_word(v, value), wrap));
    return lines;
}

// The answers' geometry for v's layout, language and fonts (Answers).
Answers answers_of(const View& v) {
    const Layout& l = v.layout;
    Answers a;
    a.column = l.portrait;
    a.gap = answer_gap(l);
    a.outline = std::max(2.0f, l.mm(0.8f));
    a.band = std::max(4.0f, l.mm(2.0f));
    a.face_d = l.mm(a.column ? kAnswerFaceBar_mm : kAnswerFace_mm);
    const float row_w = l.width - 2 * l.margin;
    if (a.column) {
        // A bar: the face at the left, the words beside it, and room at the
        // right for the check mark's badge in the top-right corner.
        a.width = row_w;
        a.left = l.margin;
        a.badge_r = l.mm(4.5f);
        a.text_left = a.inner() + l.mm(4) + a.face_d + l.mm(4);
        const float badge_room = a.badge_r * 1.6f + l.mm(1);
        a.text_w = a.width - a.text_left - std::max(a.inner() + l.mm(3), badge_room);
        a.label_size = label_size_for(v, a.text_w);
        a.label_lines = label_lines_for(v, a.label_size, a.text_w);
        const float words_h = static_cast<float>(a.label_lines) * a.label_size * kLabelLeading;
        a.height = std::max({l.min_target(), a.face_d + 2 * (a.inner() + l.mm(1)), words_h + 2 * (a.inner() + l.mm(1))});
    } else {
        // A tile: the face at the top, the words under it.
        a.width = std::max(l.min_target(), (row_w - 4 * a.gap) / 5);
        a.left = (l.width - (5 * a.width + 4 * a.gap)) * 0.5f;
        a.text_w = a.width - 2 * (a.inner() + l.mm(1));
        a.label_size = label_size_for(v, a.text_w);
        a.label_lines = label_lines_for(v, a.label_size, a.text_w);
        const float words_h = static_cast<float>(a.label_lines) * a.label_size * kLabelLeading;
        a.height = std::max(l.min_target(), a.inner() + l.mm(3) + a.face_d + l.mm(2.5f) + words_h + l.mm(1.5f) + a.inner());
    }
    return a;
}

// One answer button over [min, max] ("answer-<value>"): a white card whose
// edge is an outline in palette.outline (>= 3:1 on the background, WCAG
// 1.4.11), the scale's colour as a band inside it, the face and the word
// laid out as a tile or a bar (a). Returns true on the frame the press is
// released over it.
bool answer_button(const View& v, const Answers& a, int value, ImVec2 min, ImVec2 max) {
    const Palette& p = v.palette;
    ButtonLook look;
    look.fill = p.card;
    look.border = p.outline;  // the button's edge: >= 3:1 on the background
    look.border_px = a.outline;
    const std::string id = "answer-" + std::to_string(value);
    const bool clicked = touch_button(v, id.c_str(), min, max, look);

    // The scale's colour as a band just inside the outline.
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float w = max.x - min.x, h = max.y - min.y;
    const float rounding = std::min(w, h) * 0.12f;  // as touch_button's
    const float band_inset = a.outline + a.band * 0.5f;
    list->AddRect(ImVec2(min.x + band_inset, min.y + band_inset), ImVec2(max.x - band_inset, max.y - band_inset),
                  im_colour(p.scale[value - 1]), std::max(0.0f, rounding - band_inset), 0, a.band);

    ImFont* font = v.fonts.button;
    const std::string& word = answer_word(v, value);
    const float own_h = static_cast<float>(line_count(font, a.label_size, word, a.text_w)) * a.label_size * kLabelLeading;
    const float r = a.face_d * 0.5f;
    if (a.column) {
        // The face at the left, the word beside it, both centred on the bar's middle.
        const float cy = (min.y + max.y) * 0.5f;
        draw_face(list, ImVec2(min.x + a.inner() + v.layout.mm(4) + r, cy), r, value, p.scale[value - 1], p.text, p.card);
        text_block_left(list, font, a.label_size, word, min.x + a.text_left, cy - own_h * 0.5f, a.text_w, p.text,
                        kLabelLeading);
    } else {
        // The face at the top, the word under it: as many lines kept for it as
        // the longest of the five needs, so that the five faces line up.
        const float label_h = static_cast<float>(a.label_lines) * a.label_size * kLabelLeading;
        const float face_top = min.y + a.inner() + v.layout.mm(3);
        const float label_top = face_top + a.face_d + v.layout.mm(2.5f);
        draw_face(list, ImVec2((min.x + max.x) * 0.5f, face_top + r), r, value, p.scale[value - 1], p.text, p.card);
        text_block_sized(list, font, a.label_size, word, (min.x + max.x) * 0.5f, label_top + (label_h - own_h) * 0.5f,
                         a.text_w, p.text, a.label_lines, kLabelLeading);
    }
    return clicked;
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

// The items split into rows that fit between the margins, in order; the
// languages stay together (a switch split over two rows reads as two
// unrelated buttons), so the first of them goes to a new row when the
// whole switch does not fit after what is already in the row.
std::vector<std::vector<Item>> rows_of(const View& v, std::vector<Item> items) {
    const Layout& l = v.layout;
    const float room = l.width - 2 * l.margin, gap = answer_gap(l);
    std::vector<std::vector<Item>> rows(1);
    float used = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        Item& item = items[i];
        float together = item.width;  // this item and the languages after it, if it is the first language
        if (item.kind == Secondary::languages && (i == 0 || items[i - 1].kind != Secondary::languages)) {
            for (std::size_t j = i + 1; j < items.size() && items[j].kind == Secondary::languages; ++j)
                together += gap + items[j].width;
        }
        const float need = rows.back().empty() ? together : used + gap + together;
        if (!rows.back().empty() && need > room) {
            rows.emplace_back();
            used = item.width;
        } else {
            used = (rows.back().empty() ? 0 : used + gap) + item.width;
        }
        rows.back().push_back(std::move(item));
    }
    return rows;
}

}  // namespace

float statement_height(const View& v, const std::string& statement, float wrap_width, float size) {
    return static_cast<float>(line_count(v.fonts.statement, size, statement, wrap_width)) * size * 1.15f;  // text_block_sized's spacing
}

float statement_size(const View& v, const std::string& statement, float wrap_width, float space) {
    ImFont* font = v.fonts.statement;
    const float floor = legibility_floor_px() > 0 ? std::min(font->FontSize, legibility_floor_px()) : font->FontSize;
    for (const int max_lines : {3, 1 << 20}) {
        for (float size = font->FontSize;; size = std::max(floor, size * 0.96f)) {
            if (line_count(font, size, statement, wrap_width) <= max_lines &&
                statement_height(v, statement, wrap_width, size) <= space)
                return size;
            if (size <= floor) break;
        }
    }
    return floor;
}

float answer_buttons_height(const View& v) { return answers_of(v).block_h(); }

Intent answer_buttons(const View& v, float top) {
    ImDrawList* list = ImGui::GetWindowDrawList();
    const Answers a = answers_of(v);
    Intent intent;
    for (int value = 1; value <= 5; ++value) {
        const float step = static_cast<float>(value - 1);
        const ImVec2 min = a.column ? ImVec2(a.left, top + step * (a.height + a.gap))
                                    : ImVec2(a.left + step * (a.width + a.gap), top);
        const ImVec2 max(min.x + a.width, min.y + a.height);
        if (answer_button(v, a, value, min, max)) intent = Intent{Intent::Action::answer, value, {}};
        if (v.flow.chosen == value) mark_chosen(list, v, min, max, a.badge_r);
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
