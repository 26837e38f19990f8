// Lengths: the geometry is in mm, type in pt, and Chromium lays out in CSS px (96 to the inch).

/** mm per typographic point (1/72 inch). */
export const MM_PER_PT = 25.4 / 72;
/** Points per mm: PDF user space. */
export const PT_PER_MM = 72 / 25.4;
/** CSS px per mm. */
export const PX_PER_MM = 96 / 25.4;
