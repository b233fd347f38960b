// render_sdl.hpp — draws Dear ImGui's draw data with an SDL_Renderer, like
// Debian's imgui_impl_sdlrenderer (which still creates the font texture),
// but cheaper for SDL's software renderer, the kiosk's worst case without a
// GPU: solid-colour triangles go without a texture (no texel fetch per
// pixel), opaque axis-aligned rectangles become SDL_RenderFillRect, and
// opaque fans of one colour (ImGui's filled rounded rectangles and circles)
// become the rectangles of exactly the pixels SDL would have filled.
#pragma once

struct ImDrawData;
struct SDL_Renderer;

namespace pulse {

// Renders draw_data with renderer. The font atlas must be built (its white
// pixel marks solid-colour vertices). Same output as the ImGui backend.
// fans_as_rects false draws opaque fans as triangles too (the tests compare
// the two: pixel for pixel the same).
void render_draw_data(SDL_Renderer* renderer, ImDrawData* draw_data, bool fans_as_rects = true);

}  // namespace pulse
