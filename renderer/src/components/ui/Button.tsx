import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "../../lib/cn";

const buttonVariants = cva(
  "inline-flex items-center justify-center gap-1.5 rounded-md text-sm font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent disabled:pointer-events-none disabled:bg-muted disabled:text-fg-muted",
  {
    variants: {
      variant: {
        primary: "bg-accent text-accent-fg hover:bg-accent/90",
        secondary: "bg-muted text-fg hover:bg-muted/70",
        ghost: "text-fg-muted hover:bg-muted hover:text-fg disabled:bg-transparent disabled:opacity-60",
        danger: "bg-danger text-bg hover:bg-danger/90",
      },
      size: { sm: "h-7 px-2", md: "h-9 px-3", icon: "h-7 w-7" },
    },
    defaultVariants: { variant: "secondary", size: "md" },
  },
);

/** A button; an icon-only one shows its label as a tooltip too (sighted mouse users get no other name for it). */
export function Button({ className, variant, size, type = "button", ...props }: ComponentProps<"button"> & VariantProps<typeof buttonVariants>) {
  const title = props.title ?? (size === "icon" ? props["aria-label"] : undefined);
  return <button type={type} className={cn(buttonVariants({ variant, size }), className)} {...props} title={title} />;
}
