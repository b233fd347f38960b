// ui.cpp — layout arithmetic and the dispatch from a Flow's screen to the
// function that draws it.
#include "kiosk/ui.hpp"

#include <algorithm>

namespace pulse {

Layout make_layout(float width, float height, double px_per_mm, double bottom_edge_m) {
    Layout l;
    l.width = width;
    l.height = height;
    l.scale = std::min(width, height) / 1080.0f;
    l.px_per_mm = static_cast<float>(px_per_mm);
    l.portrait = height > width;
    l.margin = std::max(16.0f, 48 * l.scale);
    l.bottom_edge_m = static_cast<float>(bottom_edge_m);
    // Reach is a matter of the floor, not of the picture: a landscape panel
    // at 0.9 m is within reach from edge to edge, a portrait one at 0.9 m
    // only below its upper third or so.
    // And a finger needs glass around a button: half a margin clear of the bezel.
    l.reach_top = std::clamp(l.row_at_m(kReachHigh_m), 0.0f, height);
    l.reach_bottom = std::clamp(l.row_at_m(kReachLow_m), 0.0f, height - l.margin * 0.5f);
    return l;
}

Intent draw_screen(const View& view) {
    if (view.admin) {
        switch (view.admin->mode) {
            case AdminMode::off: break;
            case AdminMode::pin: return draw_admin_pin(view);
            case AdminMode::panel: return draw_admin(view);
            case AdminMode::touch_test: return draw_touch_test(view);
        }
    }
    switch (view.flow.screen) {
        case Screen::attract: return draw_attract(view);
        case Screen::cooldown: return draw_cooldown(view);
        case Screen::about: return draw_about(view);
        case Screen::question: return draw_question(view);
        case Screen::saving:
        case Screen::thanks: return draw_thanks(view);
        case Screen::out_of_order: return draw_out_of_order(view);
        case Screen::closed: return draw_closed(view);
    }
    return {};
}

}  // namespace pulse
