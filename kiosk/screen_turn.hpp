// screen_turn.hpp — the geometry of a turned panel ([display] rotation): the
// screens are laid out on the turned size and the picture is turned
// `rotation` degrees clockwise onto the panel; touch comes back the other
// way. Pure arithmetic (no SDL, no ImGui), shared by the platform's copy to
// the window, the pointer and the simulator's taps.
#pragma once

namespace pulse {

// A point in pixels, continuous: pixel (i, j) covers [i, i+1) × [j, j+1), so
// its centre is (i + 0.5, j + 0.5).
struct ScreenPoint {
    float x = 0, y = 0;
};

// A whole pixel's index (a mouse event's position, a pixel of a screenshot).
struct ScreenPixel {
    int x = 0, y = 0;
    bool operator==(const ScreenPixel&) const = default;
};

// The panel ("window" or "panel" coordinates: what SDL's events and a
// compositor's screenshot use) and the layout ("layout" coordinates: what
// the screens draw in and ImGui sees) for one rotation.
class ScreenTurn {
public:
    // Unturned 0 × 0; only for default-constructed members.
    ScreenTurn() = default;

    // panel_width × panel_height: the panel's own pixel size (its video mode,
    // e.g. 1920 × 1080). rotation_deg: 0, 90, 180 or 270, clockwise, as
    // [display] rotation (the config loader refuses anything else). Any
    // other value is a caller's bug: asserted, and treated as 0 where
    // asserts are compiled out.
    ScreenTurn(int rotation_deg, int panel_width, int panel_height);

    int rotation() const { return rotation_; }  // degrees clockwise
    bool turned() const { return rotation_ != 0; }
    int panel_width() const { return panel_w_; }
    int panel_height() const { return panel_h_; }
    // The size the screens are laid out on: the panel's, with width and
    // height swapped for 90 and 270.
    int layout_width() const { return quarter() ? panel_h_ : panel_w_; }
    int layout_height() const { return quarter() ? panel_w_ : panel_h_; }

    // Where a layout point appears on the panel (the picture turned
    // clockwise by rotation()). Points outside the layout map outside the
    // panel; nothing is clamped.
    ScreenPoint to_panel(ScreenPoint layout) const;
    // The inverse: which layout point a panel point (a touch, a click) is
    // on. to_layout(to_panel(p)) == p up to float rounding.
    ScreenPoint to_layout(ScreenPoint panel) const;

    // The same for whole pixels: the layout pixel shown at a panel pixel,
    // and back. Exact integer arithmetic; a pixel off the panel (layout)
    // maps off the layout (panel).
    ScreenPixel to_layout_pixel(ScreenPixel panel) const;
    ScreenPixel to_panel_pixel(ScreenPixel layout) const;

private:
    bool quarter() const { return rotation_ == 90 || rotation_ == 270; }
    int rotation_ = 0;
    int panel_w_ = 0, panel_h_ = 0;
};

}  // namespace pulse
