// screen_question.cpp — one statement about one's own manager, five answer
// buttons (a drawn face, a colour and a word: colour is never the only cue),
// and below them "‹ Tilbage" (questions 2-3), "don't know", "skip" and the
// languages. A chosen answer shows its check mark until the flow moves on;
// after the idle time the screen asks "are you still there?" over a bar
// that shrinks until the session is left.
#include "kiosk/answer_row.hpp"
#include "kiosk/widgets.hpp"

#include <algorithm>

namespace pulse {

namespace {

// The idle warning over the dimmed question: a card with the question, a
// bar shrinking with the time left, and "yes, continue" (id still-here).
Intent still_there(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = ImGui::GetWindowDrawList();
    list->AddRectFilled(ImVec2(0, 0), ImVec2(l.width, l.height), im_colour(with_alpha(p.text, 0.55f)));
    const float card_w = std::min(l.width - 2 * l.margin, std::max(l.width * 0.6f, l.mm(150)));
    const float wrap = card_w - 2 * l.margin;
    const float title_h = text_block_height(v.fonts.headline, v.text("still_there_title"), wrap, 2);
    const float button_h = std::max(l.min_target(), 96 * l.scale);
    const float bar_h = std::max(l.mm(3), 12 * l.scale);
    const float card_h = l.margin * 4 + title_h + bar_h + button_h;
    // Low enough to reach on a portrait panel: the card's button sits where the answers were.
    const float card_bottom = l.reach_bottom - l.margin;
    const float card_top = std::max(l.margin, card_bottom - card_h);
    const float card_x = (l.width - card_w) * 0.5f;
    list->AddRectFilled(ImVec2(card_x, card_top), ImVec2(card_x + card_w, card_top + card_h), im_colour(p.card),
                        16 * l.scale);
    float y = card_top + l.margin;
    y += text_block(list, v.fonts.headline, v.text("still_there_title"), l.width * 0.5f, y, wrap, p.text, 2);
    y += l.margin;
    const Millis left = std::clamp<Millis>(v.flow.since_ms + v.flow.settings.idle_warning_ms - v.now_ms, 0,
                                           v.flow.settings.idle_warning_ms);
    const float share = v.flow.settings.idle_warning_ms > 0
                            ? static_cast<float>(left) / static_cast<float>(v.flow.settings.idle_warning_ms)
                            : 0.0f;
    const float bar_w = wrap;
    list->AddRectFilled(ImVec2(card_x + l.margin, y), ImVec2(card_x + l.margin + bar_w, y + bar_h),
                        im_colour(p.calm), bar_h * 0.5f);
    if (share > 0) {
        list->AddRectFilled(ImVec2(card_x + l.margin, y), ImVec2(card_x + l.margin + bar_w * share, y + bar_h),
                            im_colour(p.text), bar_h * 0.5f);
    }
    y += bar_h + l.margin;
    ButtonLook look;
    look.fill = p.accent;
    look.text = p.on_accent;
    look.font = v.fonts.button;
    look.label = v.text("still_there_continue").c_str();
    const float button_w = std::min(wrap, std::max(l.min_target() * 3, 420 * l.scale));
    Intent intent;
    if (touch_button(v, "still-here", ImVec2((l.width - button_w) * 0.5f, y),
                     ImVec2((l.width + button_w) * 0.5f, y + button_h), look)) {
        intent = Intent{Intent::Action::stay, 0, {}};
    }
    return intent;
}

}  // namespace

Intent draw_question(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = begin_canvas(v);

    const Question* q = v.bank.find_question(v.flow.current_question());
    const Theme* theme = q ? v.bank.find_theme(q->theme) : nullptr;

    // Top line: theme title and progress, small and muted.
    std::string top = theme ? theme->title.at(v.flow.language) + "  \xC2\xB7  " : std::string();
    top += fill_placeholders(v.text("progress"), {{"n", std::to_string(v.flow.index + 1)},
                                                  {"total", std::to_string(v.flow.session.size())}});
    list->AddText(v.fonts.title, v.fonts.title->FontSize, ImVec2(l.margin, l.margin + 18 * l.scale),
                  im_colour(p.muted), top.c_str());

    // From the bottom up: the secondary rows, then the answers, within reach.
    std::vector<Secondary> secondary;
    if (v.flow.index > 0) secondary.push_back(Secondary::back);
    secondary.insert(secondary.end(), {Secondary::dont_know, Secondary::skip, Secondary::languages});
    const float gap = std::max(l.min_gap(), 20 * l.scale);
    const float block_bottom = l.reach_bottom - l.margin * (l.portrait ? 0.0f : 0.5f);
    const float secondary_top = block_bottom - secondary_rows_height(v, secondary);
    const float answers_top = secondary_top - gap * 1.5f - answer_buttons_height(v);

    // The statement, centred in the space between the top line and the answers.
    // (Portrait: the width between the margins, as on attract.)
    const float wrap = l.portrait ? l.width - 2 * l.margin : l.width * 0.8f;
    const std::string& statement = q ? q->text.at(v.flow.language) : std::string();
    const float space_top = l.margin + v.fonts.title->FontSize * 1.5f + gap;
    const float size = statement_size(v, statement, wrap, answers_top - gap * 0.5f - space_top);
    const float text_h = statement_height(v, statement, wrap, size);
    const float text_top = std::max(space_top, space_top + (answers_top - space_top - text_h) * 0.5f);
    text_block_sized(list, v.fonts.statement, size, statement, l.width * 0.5f, text_top, wrap, p.text, 0);

    // Under the idle warning only the statement stays, dimmed: its buttons
    // are not there to tap.
    if (v.flow.still_there) {
        const Intent warning = still_there(v);
        end_canvas();
        return warning;
    }
    Intent intent = answer_buttons(v, answers_top);
    const Intent second = secondary_rows(v, secondary, secondary_top);
    if (second.action != Intent::Action::none) intent = second;

    end_canvas();
    return intent;
}

}  // namespace pulse
