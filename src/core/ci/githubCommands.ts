/**
 * GitHub Actions workflow commands (`::error file=F,line=N,title=T::message`), escaped as the runner
 * reads them: in the message `%`, `\r`, `\n`; in property values also `:` and `,`.
 */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  file?: string;
  /** 1-based. */
  line?: number;
  title?: string;
}

export function annotationLine(a: Annotation): string {
  const props = [
    a.file !== undefined ? `file=${escapeProperty(a.file)}` : undefined,
    a.line !== undefined ? `line=${a.line}` : undefined,
    a.title !== undefined ? `title=${escapeProperty(a.title)}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return `::${a.level}${props.length ? ` ${props.join(',')}` : ''}::${escapeData(a.message)}\n`;
}

/** A finding's editor level as a workflow command: error, warning, else notice. */
export function annotationLevel(level: string): AnnotationLevel {
  return level === 'error' ? 'error' : level === 'warning' ? 'warning' : 'notice';
}
