// screen_question.cpp — one statement about one's own manager, five answer
// buttons (a drawn face, a colour and a word: colour is never the only cue),
// and the secondary "don't know" and "skip".
#include "kiosk/widgets.hpp"

#include <algorithm>

namespace pulse {

Intent draw_question(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = begin_canvas(v);
    Intent intent = language_toggle(v, l.width - l.margin, l.margin);

    const Question* q = v.bank.find_question(v.flow.current_question());
    const Theme* theme = q ? v.bank.find_theme(q->theme) : nullptr;

    // Top line: theme title and progress, small and muted.
    std::string top = theme ? theme->title.at(v.flow.language) + "  \xC2\xB7  " : std::string();
    top += fill_placeholders(v.text("progress"), {{"n", std::to_string(v.flow.index + 1)},
                                                  {"total", std::to_string(v.flow.session.size())}});
    list->AddText(v.fonts.title, v.fonts.title->FontSize, ImVec2(l.margin, l.margin + 18 * l.scale),
                  im_colour(p.muted), top.c_str());

    // Answer buttons: a row of five, sized from the glass (>= 20 mm wide).
    const float gap = std::max(l.min_gap(), 20 * l.scale);
    const float row_w = l.width - 2 * l.margin;
    const float answer_w = std::max(l.min_target(), (row_w - 4 * gap) / 5);
    const float answer_h = std::max(l.min_target(), l.portrait ? l.height * 0.17f : l.height * 0.30f);
    const float secondary_h = std::max(l.min_target(), 88 * l.scale);
    const float block_bottom = l.reach_bottom - l.margin * (l.portrait ? 0.0f : 0.5f);
    const float secondary_top = block_bottom - secondary_h;
    const float answers_top = secondary_top - gap * 1.5f - answer_h;

    // The statement, centred in the space between the top line and the answers.
    const float wrap = l.width * 0.8f;
    const std::string& statement = q ? q->text.at(v.flow.language) : std::string();
    const float text_h = text_block_height(v.fonts.statement, statement, wrap, 3);
    const float space_top = l.margin + v.fonts.title->FontSize + 90 * l.scale;
    const float text_top = std::max(space_top, space_top + (answers_top - space_top - text_h) * 0.5f);
    text_block(list, v.fonts.statement, statement, l.width * 0.5f, text_top, wrap, p.text, 3);

    const float row_left = (l.width - (5 * answer_w + 4 * gap)) * 0.5f;
    for (int value = 1; value <= 5; ++value) {
        const float x = row_left + static_cast<float>(value - 1) * (answer_w + gap);
        const ImVec2 min(x, answers_top), max(x + answer_w, answers_top + answer_h);
        if (answer_button(v, value, min, max)) intent = Intent{Intent::Action::answer, value, {}};
    }

    // Secondary choices, outlined and neutral.
    const float secondary_w = std::max(l.min_target() * 2, std::min(360 * l.scale, (row_w - gap) / 2));
    const char* ids[2] = {"dont-know", "skip"};
    const char* keys[2] = {"dont_know", "skip"};
    for (int i = 0; i < 2; ++i) {
        const float x = l.width * 0.5f + (i == 0 ? -gap * 0.5f - secondary_w : gap * 0.5f);
        ButtonLook look;
        look.fill = p.background;
        look.border = p.outline;
        look.border_px = std::max(2.0f, 3 * l.scale);
        look.font = v.fonts.button;
        look.label = v.text(keys[i]).c_str();
        look.text = p.text;
        if (touch_button(v, ids[i], ImVec2(x, secondary_top), ImVec2(x + secondary_w, secondary_top + secondary_h),
                         look)) {
            intent = Intent{i == 0 ? Intent::Action::dont_know : Intent::Action::skip, 0, {}};
        }
    }

    end_canvas();
    return intent;
}

}  // namespace pulse
