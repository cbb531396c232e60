/** The entries of a comma-separated parameter ("email, phone" → ["email", "phone"]): trimmed, blanks dropped. */
export function commaList(text: string | undefined): string[] {
	return (text ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}
