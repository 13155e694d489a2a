import type { Appointment } from "./api";

/** The parties' public names, sent with each appointment (see AppointmentRead). */
type WithParties = Appointment & {
  provider?: { first_name: string; last_name: string; specialization?: string | null };
};

export function providerName(appointment: Appointment): string {
  const provider = (appointment as WithParties).provider;
  return provider ? `Dr ${provider.first_name} ${provider.last_name}` : "Your provider";
}

export function providerSpecialization(appointment: Appointment): string | null {
  return (appointment as WithParties).provider?.specialization ?? null;
}
