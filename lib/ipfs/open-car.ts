import { CarBlockIterator } from '@ipld/car/iterator';
import { AppError } from '@/lib/errors/app-error';

/** A CAR stream's blocks, or BAD_REQUEST when it is not a CAR (both backends import through here). */
export async function openCar(source: AsyncIterable<Uint8Array>): Promise<CarBlockIterator> {
  try {
    return await CarBlockIterator.fromIterable(source);
  } catch (err) {
    throw new AppError('BAD_REQUEST', `Not a CAR file: ${(err as Error).message.slice(0, 200)}`);
  }
}
