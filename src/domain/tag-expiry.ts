/** How long a benign tag lasts: the tag form's choices (a date is also accepted). */
export const EXPIRY_CHOICES = ['7d', '30d', '90d', '180d', '365d', 'never'] as const;
export const DEFAULT_EXPIRY = '90d';
