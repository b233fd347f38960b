// screen_out_of_order.cpp — answers cannot be stored right now: plain words
// for staff, a short code for IT to find in the log. No buttons: nothing can
// be answered until the store works again (it is retried in the background);
// only the admin gesture's invisible corner.
#include "kiosk/widgets.hpp"

namespace pulse {

Intent draw_out_of_order(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = begin_canvas(v);
    const Intent corner = admin_corner(v);  // IT's way in, also when answers cannot be stored
    const float wrap = l.width * 0.8f;
    float y = l.height * 0.28f;
    // A plain bar in the fault colour, so the state is visible from afar.
    list->AddRectFilled(ImVec2(l.width * 0.5f - 60 * l.scale, y - 40 * l.scale),
                        ImVec2(l.width * 0.5f + 60 * l.scale, y - 28 * l.scale), im_colour(p.fault));
    y += text_block(list, v.fonts.headline, v.text("out_of_order_title"), l.width * 0.5f, y, wrap, p.text, 2);
    y += 30 * l.scale;
    y += text_block(list, v.fonts.statement, v.text("out_of_order_body"), l.width * 0.5f, y, wrap, p.text, 3);
    y += 50 * l.scale;
    const std::string code = fill_placeholders(v.text("out_of_order_code"), {{"code", v.flow.fault_code}});
    text_block(list, v.fonts.title, code, l.width * 0.5f, y, wrap, p.muted, 1);
    end_canvas();
    return corner;
}

}  // namespace pulse
